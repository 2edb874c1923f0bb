import assert from "node:assert/strict";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

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
