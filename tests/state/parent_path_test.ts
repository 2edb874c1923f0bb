import assert from "node:assert/strict";
import { posix } from "node:path";
import { parentPath } from "../../src/state/absent_paths.ts";

Deno.test("parentPath is node:path's POSIX dirname, without loading node:path on the start path", () => {
  const fixed = [
    "",
    "/",
    "//",
    "///",
    "a",
    "a/",
    "/a",
    "/a/",
    "//a",
    "//a/b",
    "/a//b",
    "/a/b//",
    "a//b",
    "./a",
    "../a/b",
  ];
  for (const path of fixed) assert.equal(parentPath(path), posix.dirname(path), JSON.stringify(path));
  // Seeded paths of slashes (single and repeated), dots, names and non-ASCII text.
  let seed = 23;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pieces = ["/", "/", "//", "a", "bc", ".", "..", " ", "é"];
  for (let i = 0; i < 5_000; i++) {
    let path = "";
    const length = Math.floor(next() * 9);
    for (let k = 0; k < length; k++) path += pieces[Math.floor(next() * pieces.length)];
    assert.equal(parentPath(path), posix.dirname(path), JSON.stringify(path));
  }
});
