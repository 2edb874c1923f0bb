import assert from "node:assert/strict";
import {
  bwrapArgv,
  type BwrapPlan,
  ETC_BASE,
  ETC_NETWORK,
  type HostLayout,
  TMPFS_SIZE_BYTES,
} from "../../src/agent/sandbox_bwrap.ts";

const MERGED: HostLayout = {
  system: [
    { path: "/usr", kind: "dir" },
    { path: "/bin", kind: "symlink", target: "usr/bin" },
    { path: "/lib", kind: "symlink", target: "usr/lib" },
    { path: "/lib64", kind: "symlink", target: "usr/lib64" },
  ],
};
const SPLIT: HostLayout = {
  system: [{ path: "/usr", kind: "dir" }, { path: "/bin", kind: "dir" }, { path: "/lib", kind: "dir" }],
};
const RW: BwrapPlan = {
  mounts: [{ hostPath: "/srv/ws", path: "/workspace", writable: true }],
  network: false,
  cwd: "/workspace",
  command: ["/bin/sh", "-c", "echo hi"],
};

/** The argv as pairs/triples after the option, for reading assertions. */
function option(argv: string[], name: string): string[][] {
  const width = ["--ro-bind", "--bind", "--symlink", "--ro-bind-try"].includes(name) ? 2 : 1;
  return argv.flatMap((arg, i) => arg === name ? [argv.slice(i + 1, i + 1 + width)] : []);
}

const cases: { name: string; layout: HostLayout; plan: BwrapPlan; check(argv: string[]): void }[] = [
  {
    name: "unshares every namespace and the network, dies with the gateway, stays in the killable process group",
    layout: MERGED,
    plan: RW,
    check(argv) {
      assert.equal(argv[0], "/usr/bin/bwrap");
      for (const flag of ["--die-with-parent", "--unshare-all", "--unshare-user", "--disable-userns"]) {
        assert.ok(argv.includes(flag), flag);
      }
      // The spawn gives bwrap its own terminal-less session; bwrap's setsid would escape the group kill.
      assert.ok(!argv.includes("--new-session"));
      assert.ok(!argv.includes("--share-net"));
      assert.deepEqual(option(argv, "--cap-drop"), [["ALL"]]);
    },
  },
  {
    name: "keeps the network only when the plan allows it, with the name-resolution files",
    layout: MERGED,
    plan: { ...RW, network: true },
    check(argv) {
      assert.ok(argv.includes("--share-net"));
      assert.deepEqual(option(argv, "--ro-bind-try").map(([from]) => from), [...ETC_BASE, ...ETC_NETWORK]);
    },
  },
  {
    name: "mirrors merged-/usr symlinks as symlinks and binds /usr read-only",
    layout: MERGED,
    plan: RW,
    check(argv) {
      assert.deepEqual(option(argv, "--symlink"), [["usr/bin", "/bin"], ["usr/lib", "/lib"], ["usr/lib64", "/lib64"]]);
      assert.deepEqual(option(argv, "--ro-bind"), [["/usr", "/usr"]]);
      assert.deepEqual(option(argv, "--ro-bind-try").map(([from]) => from), [...ETC_BASE]);
    },
  },
  {
    name: "binds split system directories read-only",
    layout: SPLIT,
    plan: RW,
    check(argv) {
      assert.deepEqual(option(argv, "--ro-bind"), [["/usr", "/usr"], ["/bin", "/bin"], ["/lib", "/lib"]]);
      assert.deepEqual(option(argv, "--symlink"), []);
    },
  },
  {
    name: "gives fresh /proc, /dev and temporary directories, and no other host path",
    layout: MERGED,
    plan: RW,
    check(argv) {
      assert.deepEqual(option(argv, "--proc"), [["/proc"]]);
      assert.deepEqual(option(argv, "--dev"), [["/dev"]]);
      assert.deepEqual(option(argv, "--tmpfs"), [["/tmp"], ["/var/tmp"], ["/run"]]);
      // Each tmpfs is capped (bwrap's --size applies to the next --tmpfs).
      for (const at of argv.flatMap((arg, i) => arg === "--tmpfs" ? [i] : [])) {
        assert.deepEqual(argv.slice(at - 2, at), ["--size", String(TMPFS_SIZE_BYTES)]);
      }
      assert.ok(!argv.includes("--json-status-fd"));
      const sources = [...option(argv, "--ro-bind"), ...option(argv, "--bind"), ...option(argv, "--ro-bind-try")]
        .map(([from]) => from!);
      assert.ok(
        sources.every((from) => from === "/usr" || from.startsWith("/etc/") || from === "/srv/ws"),
        sources.join(),
      );
      assert.ok(!sources.some((from) => from === "/home" || from === "/root" || from === "/"));
    },
  },
  {
    name: "binds the workspace writable, a read-only mount read-only, then chdir and the command last",
    layout: MERGED,
    plan: {
      ...RW,
      mounts: [...RW.mounts, { hostPath: "/srv/agent", path: "/agent", writable: false }],
      cwd: "/workspace/sub",
      bwrap: "/opt/bwrap",
      statusFd: 3,
    },
    check(argv) {
      assert.equal(argv[0], "/opt/bwrap");
      assert.deepEqual(option(argv, "--json-status-fd"), [["3"]]);
      assert.deepEqual(option(argv, "--bind"), [["/srv/ws", "/workspace"]]);
      assert.deepEqual(option(argv, "--ro-bind").at(-1), ["/srv/agent", "/agent"]);
      assert.deepEqual(argv.slice(-6), ["--chdir", "/workspace/sub", "--", "/bin/sh", "-c", "echo hi"]);
    },
  },
];

for (const { name, layout, plan, check } of cases) {
  Deno.test(`bwrapArgv() ${name}`, () => check(bwrapArgv(layout, plan)));
}

Deno.test("bwrapArgv() is pure: the same input gives the same argv", () => {
  assert.deepEqual(bwrapArgv(MERGED, RW), bwrapArgv(MERGED, RW));
});
