import assert from "node:assert/strict";
import { validateApprovalHistoryResult, validateExecApprovalsNodeSnapshot } from "@openclaw/gateway-protocol";
import { ExecApprovalQueue } from "../../../src/agent/exec_approval_queue.ts";
import { approvalsMethods } from "../../../src/rpc/methods/approvals.ts";
import { openStateDb } from "../../../src/state/state_db.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

interface Snapshot {
  hash: string;
  resolvedDefaults: unknown;
  file: { socket: { path: string }; agents: { main: { allowlist: { pattern: string; id: string }[] } } };
}
interface Listed {
  id: string;
  approvalKind: string;
  createdAtMs: number;
  expiresAtMs: number;
  request: { command: string };
}

async function setup(clients = true, config: Record<string, unknown> = {}) {
  const stateDir = await Deno.makeTempDir({ prefix: "approval-methods-" });
  const db = openStateDb(stateDir);
  const events: [string, unknown][] = [];
  const queue = new ExecApprovalQueue({ emit: (event, payload) => events.push([event, payload]) });
  const table = approvalsMethods({
    stateDir,
    db: () => Promise.resolve(db),
    queue,
    hasApprovalClients: () => clients,
    controlUiBasePath: () => "",
    rawConfig: () => config,
  });
  return {
    stateDir,
    db,
    queue,
    events,
    table,
    dispose: async () => {
      queue.close();
      db.close();
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}

Deno.test("lists start empty in the reference's shapes (bare arrays for the pending lists)", async () => {
  const s = await setup();
  try {
    for (const method of ["exec.approval.list", "plugin.approval.list", "openclaw.approval.list"]) {
      assert.deepEqual(await payloadOf(s.table, method), [], method);
    }
    const history = await payloadOf(s.table, "approval.history", { limit: 50 });
    assert.deepEqual(history, { items: [] });
    assert.deepEqual(await payloadOf(s.table, "exec.approval.grants.list"), { grants: [] });
    // No grant exists to revoke: the reference's answer for an unknown id.
    assert.deepEqual(await payloadOf(s.table, "exec.approval.grants.revoke", { grantId: "g1" }), {
      outcome: "not-found",
    });
  } finally {
    await s.dispose();
  }
});

Deno.test("exec.approvals.get seeds the row with its socket as the reference does; the token is never sent", async () => {
  const s = await setup();
  try {
    const snapshot = await payloadOf(s.table, "exec.approvals.get") as Record<string, unknown>;
    assert.equal(validateExecApprovalsNodeSnapshot(snapshot), true);
    assert.equal(snapshot.path, `${s.stateDir}/state/openclaw.sqlite#exec_approvals_config`);
    assert.equal(snapshot.exists, true);
    assert.deepEqual(snapshot.file, {
      version: 1,
      socket: { path: `${s.stateDir}/exec-approvals.sock` },
      defaults: {},
      agents: {},
    });
    // What is enforced with no policy and no tools.exec: this gateway's safer default.
    assert.deepEqual(snapshot.resolvedDefaults, {
      security: "allowlist",
      ask: "on-miss",
      askFallback: "deny",
      autoAllowSkills: false,
    });
    const row = s.db.prepare("SELECT raw_json, has_socket_token, agent_count FROM exec_approvals_config")
      .get() as Record<
        string,
        unknown
      >;
    assert.equal(row.has_socket_token, 1);
    assert.match(String(row.raw_json), /"token": "[A-Za-z0-9_-]{32}"/);
    // A second get changes nothing: same hash.
    assert.equal((await payloadOf(s.table, "exec.approvals.get") as { hash: string }).hash, snapshot.hash);
  } finally {
    await s.dispose();
  }
});

Deno.test("exec.approvals.set needs the current base hash and keeps the socket", async () => {
  const s = await setup();
  try {
    const { hash } = await payloadOf(s.table, "exec.approvals.get") as { hash: string };
    const file = {
      version: 1,
      defaults: { security: "allowlist", ask: "on-miss" },
      agents: { main: { allowlist: [{ pattern: "/usr/bin/rg" }] } },
    };
    const missing = await callMethod(s.table, "exec.approvals.set", { file });
    assert.equal(
      !missing.ok && missing.error.message,
      "exec approvals base hash required; re-run exec.approvals.get and retry",
    );
    const stale = await callMethod(s.table, "exec.approvals.set", { file, baseHash: "0".repeat(64) });
    assert.equal(
      !stale.ok && stale.error.message,
      "exec approvals changed since last load; re-run exec.approvals.get and retry",
    );
    const set = await payloadOf(s.table, "exec.approvals.set", { file, baseHash: hash }) as Snapshot;
    assert.equal(validateExecApprovalsNodeSnapshot(set), true);
    assert.notEqual(set.hash, hash);
    assert.deepEqual(set.resolvedDefaults, {
      security: "allowlist",
      ask: "on-miss",
      askFallback: "deny",
      autoAllowSkills: false,
    });
    assert.equal(set.file.socket.path, `${s.stateDir}/exec-approvals.sock`);
    assert.equal(set.file.agents.main.allowlist[0]!.pattern, "/usr/bin/rg");
    assert.match(set.file.agents.main.allowlist[0]!.id, /^[0-9a-f-]{36}$/);
    const row = s.db.prepare(
      "SELECT default_security, default_ask, agent_count, allowlist_count FROM exec_approvals_config",
    )
      .get();
    assert.deepEqual({ ...row }, {
      default_security: "allowlist",
      default_ask: "on-miss",
      agent_count: 1,
      allowlist_count: 1,
    });
  } finally {
    await s.dispose();
  }
});

Deno.test("exec.approval.request (two-phase) is listed, resolved once, and ends in history", async () => {
  const s = await setup();
  try {
    const accepted: unknown[] = [];
    const acceptedOnce = Promise.withResolvers<void>();
    const { dispatch } = await import("../../../src/rpc/dispatch.ts");
    const { ProtocolValidators } = await import("../../../src/rpc/validators.ts");
    const { operatorCaller } = await import("../../support/rpc_caller.ts");
    const final = dispatch(
      {
        methods: s.table,
        validators: new ProtocolValidators(),
        onUnexpected: (_n, e) => {
          throw e;
        },
      },
      {
        method: "exec.approval.request",
        params: { command: "rm -rf build", cwd: "/tmp", host: "gateway", agentId: "main", twoPhase: true },
        caller: operatorCaller(["operator.approvals"]),
        accept: (payload) => {
          accepted.push(payload);
          acceptedOnce.resolve();
        },
      },
    );
    // The two-phase `accepted` comes once the approval is filed.
    await acceptedOnce.promise;
    const [listed] = await payloadOf(s.table, "exec.approval.list") as Listed[];
    assert.equal(listed!.request.command, "rm -rf build");
    assert.equal(listed!.approvalKind, "exec");
    assert.deepEqual(accepted[0], {
      status: "accepted",
      id: listed!.id,
      deliveryRoute: "approval-client",
      createdAtMs: listed!.createdAtMs,
      expiresAtMs: listed!.expiresAtMs,
    });
    assert.equal(s.events[0]![0], "exec.approval.requested");
    // A unique prefix names it too, as in the reference.
    const got = await payloadOf(s.table, "exec.approval.get", { id: listed!.id.slice(0, 8) }) as Record<
      string,
      unknown
    >;
    assert.equal(got.id, listed!.id);
    assert.equal(got.commandText, "rm -rf build");
    const waiting = payloadOf(s.table, "exec.approval.waitDecision", { id: listed!.id });
    assert.deepEqual(await payloadOf(s.table, "exec.approval.resolve", { id: listed!.id, decision: "deny" }), {
      ok: true,
    });
    assert.deepEqual(await payloadOf(s.table, "exec.approval.resolve", { id: listed!.id, decision: "deny" }), {
      ok: true,
    });
    const conflict = await callMethod(s.table, "exec.approval.resolve", { id: listed!.id, decision: "allow-once" });
    assert.equal(!conflict.ok && conflict.error.message, "approval already resolved");
    const result = await final;
    assert.ok(result.ok);
    assert.equal((result.payload as { decision: string }).decision, "deny");
    assert.equal((await waiting as { decision: string; terminalReason: string }).terminalReason, "user");
    assert.equal(s.events[1]![0], "exec.approval.resolved");
    const history = await payloadOf(s.table, "approval.history", {}) as { items: Record<string, unknown>[] };
    assert.ok(validateApprovalHistoryResult(history), JSON.stringify(validateApprovalHistoryResult.errors));
    assert.equal(history.items[0]!.status, "denied");
    assert.equal(history.items[0]!.urlPath, `/approve/${listed!.id}`);
    const unknown = await callMethod(s.table, "exec.approval.resolve", { id: "nope", decision: "deny" });
    assert.equal(!unknown.ok && unknown.error.message, "unknown or expired approval id");
  } finally {
    await s.dispose();
  }
});

Deno.test("approval.get and approval.resolve (kind-agnostic) as the reference CLI uses them", async () => {
  const s = await setup();
  try {
    const record = s.queue.create({
      command: "make deploy",
      cwd: "/w",
      nodeId: null,
      host: "gateway",
      security: "allowlist",
      ask: "on-miss",
      warningText: null,
      allowedDecisions: ["allow-once", "allow-always", "deny"],
      agentId: "main",
      resolvedPath: null,
      sessionKey: "agent:main:main",
      runId: null,
      toolCallId: null,
      turnSourceChannel: null,
      turnSourceTo: null,
      turnSourceAccountId: null,
    }, 60_000);
    const got = await payloadOf(s.table, "approval.get", { id: record.id }) as { approval: Record<string, unknown> };
    assert.equal(got.approval.status, "pending");
    assert.equal((got.approval.presentation as { commandText: string }).commandText, "make deploy");
    const resolved = await payloadOf(s.table, "approval.resolve", {
      id: record.id,
      kind: "exec",
      decision: "allow-once",
    }) as {
      applied: boolean;
      approval: Record<string, unknown>;
    };
    assert.equal(resolved.applied, true);
    assert.equal(resolved.approval.status, "allowed");
    assert.equal(resolved.approval.decision, "allow-once");
    const again = await payloadOf(s.table, "approval.resolve", {
      id: record.id,
      kind: "exec",
      decision: "allow-once",
    }) as {
      applied: boolean;
    };
    assert.equal(again.applied, false);
    const missing = await callMethod(s.table, "approval.get", { id: "nope" });
    assert.equal(!missing.ok && missing.error.message, "approval not found");
  } finally {
    await s.dispose();
  }
});

Deno.test("approval methods need operator.approvals; the policy document needs admin", async () => {
  const s = await setup();
  try {
    const read = await callMethod(s.table, "exec.approval.list", {}, ["operator.read"]);
    assert.equal(!read.ok && read.error.message, "missing scope: operator.approvals");
    assert.ok((await callMethod(s.table, "exec.approval.list", {}, ["operator.approvals"])).ok);
    const get = await callMethod(s.table, "exec.approvals.get", {}, ["operator.approvals"]);
    assert.equal(!get.ok && get.error.message, "missing scope: operator.admin");
  } finally {
    await s.dispose();
  }
});

Deno.test("exec.approval.get shows the command sanitized (control characters escaped)", async () => {
  const s = await setup();
  try {
    const evil = s.queue.create({
      command: "ls\x1b[2K\u202Ecod.exe",
      cwd: "/tmp",
      nodeId: null,
      host: "gateway",
      security: "allowlist",
      ask: "on-miss",
      warningText: null,
      allowedDecisions: ["allow-once", "deny"],
      agentId: "main",
      resolvedPath: null,
      sessionKey: null,
      runId: null,
      toolCallId: null,
      turnSourceChannel: null,
      turnSourceTo: null,
      turnSourceAccountId: null,
    }, 60_000);
    const got = await payloadOf(s.table, "exec.approval.get", { id: evil.id }) as Record<string, unknown>;
    assert.equal(got.commandText, "ls\\u{1B}[2K\\u{202E}cod.exe");
  } finally {
    await s.dispose();
  }
});

Deno.test("exec.approvals.get resolvedDefaults reports the enforced policy: tools.exec full/off restores the reference's", async () => {
  const s = await setup(true, { tools: { exec: { security: "full", ask: "off" } } });
  try {
    const snapshot = await payloadOf(s.table, "exec.approvals.get") as Snapshot;
    assert.deepEqual(snapshot.resolvedDefaults, {
      security: "full",
      ask: "off",
      askFallback: "deny",
      autoAllowSkills: false,
    });
  } finally {
    await s.dispose();
  }
});

Deno.test("exec.approval.request clamps a client's timeoutMs to the timer ceiling", async () => {
  const s = await setup();
  try {
    const { dispatch } = await import("../../../src/rpc/dispatch.ts");
    const { ProtocolValidators } = await import("../../../src/rpc/validators.ts");
    const { operatorCaller } = await import("../../support/rpc_caller.ts");
    const accepted = Promise.withResolvers<{ id: string; createdAtMs: number; expiresAtMs: number }>();
    const final = dispatch(
      {
        methods: s.table,
        validators: new ProtocolValidators(),
        onUnexpected: (_n, e) => {
          throw e;
        },
      },
      {
        method: "exec.approval.request",
        params: { command: "ls", cwd: "/tmp", host: "gateway", twoPhase: true, timeoutMs: 1e15 },
        caller: operatorCaller(["operator.approvals"]),
        accept: (payload) => accepted.resolve(payload as { id: string; createdAtMs: number; expiresAtMs: number }),
      },
    );
    const record = await accepted.promise;
    assert.equal(record.expiresAtMs - record.createdAtMs, 2_147_483_647);
    s.queue.resolve(record.id, "deny", { resolvedBy: "t", resolver: { kind: "runtime" } });
    await final;
  } finally {
    await s.dispose();
  }
});
