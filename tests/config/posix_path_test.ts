import assert from "node:assert/strict";
import { isAbsolute, join, normalize, relative, resolve } from "node:path";
import { isAbsolutePath, isInsidePath, joinPath, normalizePath, resolvePath } from "../../src/config/posix_path.ts";

const PATHS = [
  "",
  ".",
  "..",
  "/",
  "//",
  "///a//b",
  "a",
  "a/",
  "./a",
  "a/./b",
  "a/../b",
  "a/..",
  "a/../",
  "../a",
  "../../a/b/..",
  "/..",
  "/../a",
  "/a/b/../../..",
  "/a/b/",
  "/a/.b/..c/../d",
  "~/x",
  "a:b",
  "/state/media",
  "/state/media/",
  "/state/media/inbound/x.png",
  "/state/media2",
  "/state/media/..x",
  "/state/media/../media/y",
];

Deno.test("posix paths: isAbsolute and normalize equal node:path on the corpus", () => {
  for (const path of PATHS) {
    assert.equal(isAbsolutePath(path), isAbsolute(path), path);
    assert.equal(normalizePath(path), normalize(path), path);
    assert.equal(resolvePath(path), resolve(path), path);
    assert.equal(resolvePath(joinPath(path, "cron", "jobs.json")), resolve(path, "cron", "jobs.json"), path);
  }
});

Deno.test("posix paths: join equals node:path for every pair and triple of the corpus", () => {
  for (const a of PATHS) {
    for (const b of PATHS) {
      assert.equal(joinPath(a, b), join(a, b), `${a} + ${b}`);
      assert.equal(joinPath(a, b, "HEARTBEAT.md"), join(a, b, "HEARTBEAT.md"), `${a} + ${b} + HEARTBEAT.md`);
    }
  }
  assert.equal(joinPath(), join());
});

Deno.test("posix paths: isInside is node:path relative()'s inside test for every pair of the corpus", () => {
  const inside = (root: string, path: string) => {
    const rel = relative(root, path);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  };
  let insideCount = 0;
  for (const root of PATHS) {
    for (const path of PATHS) {
      assert.equal(isInsidePath(root, path), inside(root, path), `${root} ⊃ ${path}`);
      if (inside(root, path)) insideCount++;
    }
  }
  assert.ok(insideCount > 20, "the corpus has paths inside others");
});
