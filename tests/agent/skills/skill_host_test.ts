// The real skill host's PATH lookups (src/agent/skills/skill_status.ts processSkillHost): with binaries known missing
// kept between hosts (missing_binaries.ts), every lookup answers as a host without them does, through binaries
// installed, removed, made executable or not, and PATH directories created, removed, and linked and relinked.
import assert from "node:assert/strict";
import { join } from "node:path";
import { processSkillHost } from "../../../src/agent/skills/skill_status.ts";
import type { MissingBinaries } from "../../../src/agent/skills/missing_binaries.ts";

/** A clock far enough ahead that every directory counts as settled. */
const LATER = () => Date.now() + 60_000;

Deno.test("skill host: a binary missing from a PATH directory is kept missing while the directory is unchanged", async () => {
  const base = await Deno.makeTempDir();
  try {
    const [one, two] = [join(base, "one"), join(base, "two")];
    await Deno.mkdir(one);
    await Deno.mkdir(two);
    const path = `${one}:${two}`;
    const missing: MissingBinaries = new Map();
    const host = () => processSkillHost({ missing, path, now: LATER });
    assert.equal(host().hasBinary("tool"), false);
    assert.deepEqual([...missing].map(([dir, kept]) => [dir, [...kept.names]]), [[one, ["tool"]], [two, ["tool"]]]);
    await Deno.writeTextFile(join(two, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(host().hasBinary("tool"), true, "installing it moved the directory's stamp");
    assert.equal(missing.has(two), false);
    // Unsettled stamps (a directory changed moments ago) vouch for nothing.
    const now: MissingBinaries = new Map();
    assert.equal(processSkillHost({ missing: now, path }).hasBinary("other"), false);
    assert.equal(now.size, 0);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("skill host: kept missing binaries answer as fresh lookups through 300 seeded changes", async () => {
  const base = await Deno.makeTempDir();
  try {
    const dirs = ["a", "b", "c"].map((name) => join(base, name));
    await Deno.mkdir(dirs[0]!);
    await Deno.mkdir(dirs[1]!);
    await Deno.mkdir(join(base, "real"));
    await Deno.mkdir(join(base, "real2"));
    // c is missing at first; PATH also names a link to a directory, which some steps retarget.
    await Deno.symlink(join(base, "real"), join(base, "link"));
    const path = [...dirs, join(base, "link")].join(":");
    const names = ["git", "jq", "gh"];
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    let stamp = Date.now() - 10_000_000;
    const missing: MissingBinaries = new Map();
    const differences: string[] = [];
    let kept = 0;
    for (let step = 0; step < 300; step++) {
      const dir = pick([...dirs, join(base, "real"), join(base, "real2")]);
      const file = join(dir, pick(names));
      const action = Math.floor(next() * 6);
      try {
        if (action === 0) await Deno.writeTextFile(file, "#!/bin/sh\n", { mode: 0o755 });
        else if (action === 1) await Deno.writeTextFile(file, "data\n", { mode: 0o644 });
        else if (action === 2) await Deno.remove(file);
        else if (action === 3) await Deno.mkdir(dir);
        else if (action === 4) await Deno.remove(dir, { recursive: true });
        else {
          await Deno.remove(join(base, "link"));
          await Deno.symlink(pick([join(base, "real"), join(base, "real2")]), join(base, "link"));
        }
      } catch {
        // A change the present state refuses (removing what is not there) is skipped.
      }
      // Each change's directories get an mtime of their own (the clock counts everything as settled).
      stamp += 10_000;
      for (const changed of [dir, base]) {
        await Deno.utime(changed, new Date(stamp), new Date(stamp)).catch(() => {});
      }
      const cached = processSkillHost({ missing, path, now: LATER });
      const fresh = processSkillHost({ path });
      for (const name of names) {
        if (cached.hasBinary(name) !== fresh.hasBinary(name)) differences.push(`step ${step}: ${name}`);
      }
      kept = Math.max(kept, missing.size);
    }
    assert.deepEqual(differences, []);
    assert.ok(kept >= 3, `missing binaries were kept (${kept} directories at most)`);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
