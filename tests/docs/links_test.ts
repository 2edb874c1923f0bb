import assert from "node:assert/strict";
import { REPO_ROOT } from "../support/spawn_gateway.ts";
import { LAYERS } from "../../tools/lint_plugin.ts";

Deno.test("relative links in README.md and docs/ point at files that exist", async () => {
  const files = [
    "README.md",
    ...(await Array.fromAsync(Deno.readDir(`${REPO_ROOT}/docs`)))
      .filter((e) => e.isFile && e.name.endsWith(".md")).map((e) => `docs/${e.name}`),
  ];
  const broken: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(`${REPO_ROOT}/${file}`);
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
    for (const match of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = match[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      try {
        await Deno.stat(`${REPO_ROOT}/${dir}/${target}`);
      } catch {
        broken.push(`${file} → ${target}`);
      }
    }
    // Backticked docs/*.md mentions count as links too.
    for (const match of text.matchAll(/`(docs\/[\w./-]+\.md)`/g)) {
      try {
        await Deno.stat(`${REPO_ROOT}/${match[1]}`);
      } catch {
        broken.push(`${file} → ${match[1]}`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

/** Folders at the repository root; a docs path starting with one is named from the root, any other from `src/`. */
const ROOT_FOLDERS = ["src", "tests", "tools", "docs", "install"];

/**
 * Where a path named in docs/architecture.md lives: `server/listener.ts` is `src/server/listener.ts`,
 * `tests/docs/links_test.ts` is itself, and a bare name (`main.ts`, `version.ts`) is at the root or in `src/`.
 */
function candidates(path: string): string[] {
  const first = path.split("/")[0]!;
  if (!path.includes("/")) return [path, `src/${path}`];
  return ROOT_FOLDERS.includes(first) ? [path] : [`src/${path}`];
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(`${REPO_ROOT}/${path}`);
    return true;
  } catch {
    return false;
  }
}

Deno.test("every file and folder docs/architecture.md names exists", async () => {
  const text = await Deno.readTextFile(`${REPO_ROOT}/docs/architecture.md`);
  const named = new Set<string>();
  for (const match of text.matchAll(/`([\w.-]+(?:\/[\w.-]+)*(?:\.ts|\/))`/g)) {
    const path = match[1]!;
    // Build output is not in the tree until a build ran.
    if (path.startsWith("dist/")) continue;
    named.add(path);
  }
  // The walks name dozens of files; a regex that found none would make this test vacuous.
  assert.ok(named.size > 100, `only ${named.size} paths found in docs/architecture.md`);
  const missing: string[] = [];
  for (const path of named) {
    const found = await Promise.all(candidates(path).map(exists));
    if (!found.includes(true)) missing.push(path);
  }
  assert.deepEqual(missing, []);
});

Deno.test("docs/architecture.md's layer table is the one tools/lint_plugin.ts enforces", async () => {
  const text = await Deno.readTextFile(`${REPO_ROOT}/docs/architecture.md`);
  const documented: Record<string, string[]> = {};
  for (const match of text.matchAll(/^\| `([\w.]+)\/?` +\| ([^|]+?) +\|$/gm)) {
    const imports = match[2]!.trim();
    documented[match[1]!] = imports === "nothing internal" ? [] : imports.split(/, */);
  }
  const enforced = Object.fromEntries(Object.entries(LAYERS).map(([layer, imports]) => [layer, [...imports]]));
  assert.deepEqual(documented, enforced);
});
