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
    // Past mtimes, so an entry created later moves them whatever the clock's grain (the clock below trusts them).
    for (const dir of [one, two]) await Deno.utime(dir, new Date(), new Date(Date.now() - 10_000));
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

Deno.test("skill host: only a plain name with no entry at all is kept missing (not a dangling link, not a name with a slash)", async () => {
  const base = await Deno.makeTempDir();
  try {
    const bin = join(base, "bin");
    await Deno.mkdir(join(bin, "sub"), { recursive: true });
    await Deno.mkdir(join(base, "opt"));
    // A link whose target is installed later: creating the target does not move the PATH directory.
    await Deno.symlink(join(base, "opt", "tool"), join(bin, "tool"));
    for (const dir of [bin, join(bin, "sub")]) await Deno.utime(dir, new Date(), new Date(Date.now() - 10_000));
    const missing: MissingBinaries = new Map();
    const host = () => processSkillHost({ missing, path: bin, now: LATER });
    assert.equal(host().hasBinary("tool"), false);
    assert.equal(host().hasBinary("sub/tool2"), false);
    assert.equal(host().hasBinary("absent"), false);
    assert.deepEqual([...missing.get(bin)?.names ?? []], ["absent"]);
    await Deno.writeTextFile(join(base, "opt", "tool"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.writeTextFile(join(bin, "sub", "tool2"), "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(host().hasBinary("tool"), true, "the link's target, installed since");
    assert.equal(host().hasBinary("sub/tool2"), true, "created below a folder of the PATH directory");
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
    const names = ["git", "jq", "gh", "sub/jq"];
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    let stamp = Date.now() - 10_000_000;
    // The directories a lookup can depend on, by their own entry's identity and times.
    const watched = [...dirs, ...dirs.map((dir) => join(dir, "sub")), "real", "real2", "target", "target/sub"]
      .map((dir) => dir.startsWith("/") ? dir : join(base, dir));
    const signatures = async () => {
      const seen = new Map<string, string>();
      for (const dir of watched) {
        const info = await Deno.lstat(dir).catch(() => undefined);
        if (info?.isDirectory) seen.set(dir, `${info.ino}:${info.mtime?.getTime()}:${info.ctime?.getTime()}`);
      }
      return seen;
    };
    const missing: MissingBinaries = new Map();
    const differences: string[] = [];
    let kept = 0;
    for (let step = 0; step < 300; step++) {
      const dir = pick([...dirs, join(base, "real"), join(base, "real2")]);
      const file = join(dir, pick(names));
      const action = Math.floor(next() * 8);
      const before = await signatures();
      try {
        if (action === 0) await Deno.writeTextFile(file, "#!/bin/sh\n", { mode: 0o755 });
        else if (action === 1) await Deno.writeTextFile(file, "data\n", { mode: 0o644 });
        else if (action === 2) await Deno.remove(file);
        else if (action === 3) await Deno.mkdir(pick([dir, join(dir, "sub")]));
        else if (action === 4) await Deno.remove(dir, { recursive: true });
        else if (action === 6) await Deno.symlink(join(base, "target", pick(names)), file);
        else if (action === 7) {
          await Deno.mkdir(join(base, "target", "sub"), { recursive: true });
          await Deno.writeTextFile(join(base, "target", pick(names)), "#!/bin/sh\n", { mode: 0o755 });
        } else {
          await Deno.remove(join(base, "link"));
          await Deno.symlink(pick([join(base, "real"), join(base, "real2")]), join(base, "link"));
        }
      } catch {
        // A change the present state refuses (removing what is not there) is skipped.
      }
      // What the change moved (and only that) gets an mtime of its own, set apart from the last: the clock counts
      // everything as settled, so a change the kernel did not stamp on a PATH directory must stay unstamped here too.
      stamp += 10_000;
      for (const [changed, signature] of await signatures()) {
        if (before.get(changed) !== signature) await Deno.utime(changed, new Date(stamp), new Date(stamp));
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
