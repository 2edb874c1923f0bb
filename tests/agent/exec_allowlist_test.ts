import assert from "node:assert/strict";
import { join } from "node:path";
import {
  allowAlwaysEntries,
  cwdBoundArgPattern,
  evaluateAllowlist,
  matchesPattern,
} from "../../src/agent/exec_allowlist.ts";
import type { AllowlistEntry } from "../../src/agent/exec_approvals_file.ts";
import { analyzeCommand, unwrapDispatch } from "../../src/agent/exec_command_parse.ts";
import { safeBinSettings, validateSafeBinArgs } from "../../src/agent/exec_safe_bins.ts";

async function fixture() {
  const root = await Deno.makeTempDir({ prefix: "allowlist-" });
  const bin = join(root, "bin");
  const other = join(root, "other");
  await Deno.mkdir(bin);
  await Deno.mkdir(other);
  for (const path of [join(bin, "rg"), join(bin, "head"), join(bin, "python3"), join(other, "rg")]) {
    await Deno.writeTextFile(path, "#!/bin/sh\n");
    await Deno.chmod(path, 0o755);
  }
  const ctx = { cwd: root, pathEnv: bin, home: root };
  const judge = (command: string, allowlist: AllowlistEntry[], trusted: string[] = []) =>
    evaluateAllowlist({ command, allowlist, safeBins: safeBinSettings({ safeBinTrustedDirs: trusted }), ctx });
  return { root, bin, other, judge, dispose: () => Deno.remove(root, { recursive: true }) };
}

Deno.test("globs: ** crosses directories, * and ? stay inside one, ~ is home", () => {
  assert.ok(matchesPattern("/opt/**/bin/rg", "/opt/a/b/bin/rg", "/home/u"));
  assert.ok(!matchesPattern("/opt/*/bin/rg", "/opt/a/b/bin/rg", "/home/u"));
  assert.ok(matchesPattern("/usr/bin/r?", "/usr/bin/rg", "/home/u"));
  assert.ok(matchesPattern("~/.local/bin/*", "/home/u/.local/bin/tool", "/home/u"));
  assert.ok(!matchesPattern("~/.local/bin/*", "/home/u/.local/bin/sub/tool", "/home/u"));
});

Deno.test("a path pattern matches the resolved binary; a bare name only a PATH lookup", async () => {
  const f = await fixture();
  try {
    assert.equal(f.judge("rg foo", [{ pattern: `${f.bin}/rg` }]).satisfied, true);
    assert.equal(f.judge("rg foo", [{ pattern: `${f.other}/rg` }]).satisfied, false);
    assert.equal(f.judge("rg foo", [{ pattern: "rg" }]).satisfied, true);
    // `./other/rg` names a path: the bare-name entry does not cover it.
    assert.equal(f.judge("./other/rg foo", [{ pattern: "rg" }]).satisfied, false);
    assert.equal(f.judge("./other/rg foo", [{ pattern: `${f.root}/**/rg` }]).satisfied, true);
    // A command that resolves nowhere matches nothing but the bare `*`.
    assert.equal(f.judge("nosuchtool", [{ pattern: "nosuch*" }]).satisfied, false);
    assert.equal(f.judge("nosuchtool", [{ pattern: "*" }]).satisfied, true);
  } finally {
    await f.dispose();
  }
});

Deno.test("argPattern restricts the arguments; a path-only entry still covers the rest", async () => {
  const f = await fixture();
  try {
    const strict = [{ pattern: "python3", argPattern: "^safe\\.py$" }];
    assert.equal(f.judge("python3 safe.py", strict).satisfied, true);
    assert.equal(f.judge("python3 other.py", strict).satisfied, false);
    assert.equal(f.judge("python3 other.py", [...strict, { pattern: "python3" }]).satisfied, true);
  } finally {
    await f.dispose();
  }
});

Deno.test("every top-level segment must be satisfied; substitution, redirection and env prefixes never match", async () => {
  const f = await fixture();
  try {
    const rg = [{ pattern: "rg" }];
    assert.equal(f.judge("rg a && rg b; rg c || rg d", rg).satisfied, true);
    assert.equal(f.judge("rg a && python3 x.py", rg).satisfied, false);
    for (const line of ["rg $(id)", "rg `id`", "rg a > out", "FOO=1 rg a", "rg a &", "(rg a)", 'rg "$HOME"']) {
      const judged = f.judge(line, [{ pattern: "*" }]);
      assert.equal(judged.analysisOk, false, line);
      assert.equal(judged.satisfied, false, line);
    }
    // Single quotes keep `$()` literal.
    assert.equal(f.judge("rg '$(id)'", rg).satisfied, true);
    // Transparent wrappers are judged by the command they run.
    assert.equal(f.judge("nohup rg a", rg).satisfied, true);
    assert.equal(f.judge("timeout 5 rg a", rg).satisfied, true);
    assert.equal(f.judge("env X=1 rg a", rg).analysisOk, false);
    // Safe builtins need no entry; after `cd`, only absolute or absolute-PATH executables are judged.
    assert.equal(f.judge("cd sub && rg a", rg).satisfied, true);
    assert.equal(f.judge("cd other && ./rg a", [{ pattern: `${f.other}/rg` }]).satisfied, false);
  } finally {
    await f.dispose();
  }
});

Deno.test("safe bins: stdin-only use from a trusted dir, no file operands, no denied flags", async () => {
  const f = await fixture();
  try {
    assert.equal(f.judge("rg a | head -n 5", [{ pattern: "rg" }], [f.bin]).satisfied, true);
    // Not from a trusted directory: a miss.
    assert.equal(f.judge("rg a | head -n 5", [{ pattern: "rg" }]).satisfied, false);
    assert.equal(f.judge("head -n 5 /etc/passwd", [], [f.bin]).satisfied, false);
    assert.equal(f.judge("head -n 5 notes.txt", [], [f.bin]).satisfied, false);
    const profiles = safeBinSettings().profiles;
    assert.equal(validateSafeBinArgs(["-f"], profiles.tail!), false);
    assert.equal(validateSafeBinArgs(["--lin=3"], profiles.head!), true);
    assert.equal(validateSafeBinArgs(["-l"], profiles.wc!), true);
    assert.equal(validateSafeBinArgs(["a-z", "A-Z"], profiles.tr!), true);
    assert.equal(validateSafeBinArgs(["*"], profiles.tr!), false);
    assert.equal(validateSafeBinArgs(["--recursive"], profiles.grep!), false);
  } finally {
    await f.dispose();
  }
});

Deno.test("allow always binds the real binary path to the exact argv and working directory", async () => {
  const f = await fixture();
  try {
    const judged = f.judge("rg needle src", []);
    const entries = allowAlwaysEntries(judged, f.root);
    assert.deepEqual(entries, [{
      pattern: await Deno.realPath(join(f.bin, "rg")),
      argPattern: cwdBoundArgPattern(["rg", "needle", "src"], f.root),
      source: "allow-always",
    }]);
    assert.match(entries[0]!.argPattern!, /^sha256:cwd-argv:v1:[0-9a-f]{64}$/);
    assert.equal(f.judge("rg needle src", entries).satisfied, true);
    assert.equal(f.judge("rg needle other", entries).satisfied, false);
    // Interpreters are never saved: an inline script would ride on them.
    assert.deepEqual(allowAlwaysEntries(f.judge("python3 x.py", []), f.root), []);
  } finally {
    await f.dispose();
  }
});

Deno.test("the parser splits segments and keeps quoted text whole", () => {
  assert.deepEqual(analyzeCommand(`git commit -m "a b" && ls 'x y'|wc -l`), {
    ok: true,
    segments: [
      { raw: `git commit -m "a b"`, argv: ["git", "commit", "-m", "a b"] },
      { raw: `ls 'x y'`, argv: ["ls", "x y"] },
      { raw: "wc -l", argv: ["wc", "-l"] },
    ],
  });
  assert.deepEqual(unwrapDispatch(["nice", "-n", "5", "rg", "x"]), ["rg", "x"]);
  assert.equal(unwrapDispatch(["env", "-i", "rg"]), null);
});
