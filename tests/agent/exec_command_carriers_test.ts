import assert from "node:assert/strict";
import { join } from "node:path";
import { evaluateAllowlist } from "../../src/agent/exec_allowlist.ts";
import type { AllowlistEntry } from "../../src/agent/exec_approvals_file.ts";
import { isSafeLiteral, safeBinSettings } from "../../src/agent/exec_safe_bins.ts";

// Every binary of the reviewer's probe is allowlisted by path; `id` and `rm` are not. The expected
// verdicts are the reference's (2026.9.6, exec-approvals-allowlist), measured on the same lines.
const BINS = ("find xargs git env nice timeout stdbuf nohup awk sed tar ssh make watch flock setsid chroot script " +
  "bash sh perl su runuser ionice taskset chrt unshare nsenter strace gdb vim less man npm npx node docker " +
  "kubectl python3 printf kill test echo pwd rg").split(" ");

const REFERENCE_VERDICTS: [string, boolean][] = [
  ["find . -exec rm x \\;", false],
  ["find . -execdir id \\;", false],
  ["find . -ok id \\;", false],
  ["find . -okdir id \\;", false],
  ["find . -delete", true],
  ["find . -fprint /tmp/x", true],
  ["xargs rm", false],
  ["xargs -I X sh -c X", false],
  ["git -c core.sshCommand=id fetch", true],
  ["git -c core.pager=id log", true],
  ["git --exec-path=/tmp log", true],
  ["git config core.hooksPath /tmp", true],
  ["awk 'BEGIN{system(\"id\")}'", true],
  ["sed -n 1e\\ id x", true],
  ["tar -cf /dev/null x --to-command=id", true],
  ["tar -cf x.tar --checkpoint=1 --checkpoint-action=exec=id x", true],
  ["ssh -o ProxyCommand=id x", true],
  ["make -f x", true],
  ["watch id", false],
  ["flock /tmp/l id", false],
  ["setsid id", false],
  ["script -c id /dev/null", false],
  ["bash -c id", false],
  ["sh -c id", false],
  ["perl -e 'system(1)'", true],
  ["ionice id", false],
  ["taskset 1 id", false],
  ["chrt 1 id", false],
  ["unshare id", false],
  ["strace id", true],
  ["gdb -ex r id", true],
  ["vim -c '!id'", true],
  ["less x", true],
  ["man -P id ls", true],
  ["npm exec id", false],
  ["npx id", false],
  ["node -e 1", false],
  ["docker run x", true],
  ["kubectl exec x", true],
  ["env -S id", false],
  ["nice id", false],
  ["timeout 5 id", false],
  ["nohup id", false],
  ["stdbuf -oL id", false],
  ["su -c id", false],
  ["runuser -c id", false],
  ["nsenter id", false],
  ["chroot / id", false],
  ["python3 -c 1", true],
];

async function fixture() {
  const root = await Deno.makeTempDir({ prefix: "carriers-" });
  const bin = join(root, "bin");
  await Deno.mkdir(bin);
  await Deno.mkdir(join(root, "sub"));
  for (const name of BINS) {
    await Deno.writeTextFile(join(bin, name), "#!/bin/sh\n");
    await Deno.chmod(join(bin, name), 0o755);
  }
  await Deno.writeTextFile(join(root, "sub", "build.sh"), "#!/bin/sh\n");
  await Deno.chmod(join(root, "sub", "build.sh"), 0o755);
  const allowlist: AllowlistEntry[] = [
    ...BINS.map((name) => ({ pattern: join(bin, name) })),
    { pattern: join(root, "sub", "build.sh") },
  ];
  const ctx = { cwd: root, pathEnv: bin, home: root };
  const judge = (command: string, entries: AllowlistEntry[] = allowlist) => {
    const e = evaluateAllowlist({ command, allowlist: entries, safeBins: safeBinSettings(), ctx });
    return e.analysisOk && e.satisfied;
  };
  return { root, judge, dispose: () => Deno.remove(root, { recursive: true }) };
}

Deno.test("command carriers and wrappers fail closed as the reference's do (the reviewer's 49 lines)", async () => {
  const f = await fixture();
  try {
    assert.equal(REFERENCE_VERDICTS.length, 49);
    for (const [line, expected] of REFERENCE_VERDICTS) assert.equal(f.judge(line), expected, line);
    // With the inner command allowlisted too, a carrier still does not pass on its own entry.
    for (const line of ["find . -exec rg x \\;", "xargs rg", "sh -c rg", "watch rg", "setsid rg", "npx rg"]) {
      assert.equal(f.judge(line), false, line);
    }
  } finally {
    await f.dispose();
  }
});

Deno.test("after cd, a relative or ~ executable fails closed (it would resolve elsewhere)", async () => {
  const f = await fixture();
  try {
    assert.equal(f.judge("./sub/build.sh"), true);
    assert.equal(f.judge("cd sub && ./build.sh"), false);
    assert.equal(f.judge("cd /tmp && ./sub/build.sh"), false);
    assert.equal(f.judge("cd sub && ~/sub/build.sh"), false);
    // A PATH lookup from an absolute PATH entry is unaffected.
    assert.equal(f.judge("cd sub && rg a"), true);
  } finally {
    await f.dispose();
  }
});

Deno.test("bash builtins are judged as builtins: no -v, no array subscripts in their operands", async () => {
  const f = await fixture();
  try {
    for (const line of ["test -v 'a[$(id)]'", "[ -v 'a[$(id)]' ]", "printf -v 'a[$(id)]' x", "kill 'a[$(id)]'"]) {
      assert.equal(f.judge(line), false, line);
      // Not even as safe builtins with an empty allowlist.
      assert.equal(f.judge(line, []), false, line);
    }
    assert.equal(f.judge("test -f x && [ -d sub ]", []), true);
    assert.equal(f.judge("printf '%s' x"), true);
  } finally {
    await f.dispose();
  }
});

Deno.test("brace expansion is never a literal: the parser and safe-bin operands refuse it", async () => {
  const f = await fixture();
  try {
    assert.equal(f.judge("rg a{b,c}"), false);
    assert.equal(f.judge("rg x{1..3}"), false);
    assert.equal(f.judge("rg 'a{b,c}'"), true, "quoted braces stay literal");
    assert.equal(isSafeLiteral("{a,b}"), false);
    assert.equal(isSafeLiteral("x{1..9}"), false);
    assert.equal(isSafeLiteral("{}"), true);
  } finally {
    await f.dispose();
  }
});
