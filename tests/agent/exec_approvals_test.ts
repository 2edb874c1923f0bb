import assert from "node:assert/strict";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { ExecApprovalQueue } from "../../src/agent/exec_approval_queue.ts";
import { GatewayExecApprovals } from "../../src/agent/exec_approvals.ts";
import { readApprovals, updateApprovals } from "../../src/agent/exec_approvals_store.ts";
import type { ExecApprovalsFile } from "../../src/agent/exec_approvals_file.ts";
import type { ExecApprovalAsk } from "../../src/agent/tool.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { approveFromChat } from "../../src/agent/chat_approve.ts";
import type { ExecApprovalsForwarding } from "../../src/config/approvals_forwarding.ts";
import { configuredExecPolicy } from "../../src/config/exec_policy_config.ts";

interface Harness {
  approvals: GatewayExecApprovals;
  queue: ExecApprovalQueue;
  events: [string, Record<string, unknown>][];
  location: { stateDir: string; db(): Promise<DatabaseSync> };
  ask(command: string, extra?: Partial<ExecApprovalAsk>): ExecApprovalAsk;
  setPolicy(file: ExecApprovalsFile): Promise<void>;
  /** Resolves with `check()`'s first defined value, re-checked on each queue event or chat send (bounded: 2 s). */
  waitFor<T>(check: () => T | undefined, label: string): Promise<T>;
  dispose(): Promise<void>;
}

async function harness(
  options: {
    clients?: boolean;
    timeoutMs?: number;
    chat?: string[];
    sent?: [string, string][];
    forwarding?: ExecApprovalsForwarding;
    config?: Record<string, unknown>;
  } = {},
): Promise<Harness> {
  const stateDir = await Deno.makeTempDir({ prefix: "approvals-" });
  const bin = join(stateDir, "bin");
  await Deno.mkdir(bin);
  await Deno.writeTextFile(join(bin, "rg"), "#!/bin/sh\n");
  await Deno.chmod(join(bin, "rg"), 0o755);
  const db = openStateDb(stateDir);
  const events: [string, Record<string, unknown>][] = [];
  let wake = Promise.withResolvers<void>();
  const poke = () => {
    wake.resolve();
    wake = Promise.withResolvers<void>();
  };
  const queue = new ExecApprovalQueue({
    emit: (event, payload) => {
      events.push([event, payload as Record<string, unknown>]);
      poke();
    },
  });
  const location = { stateDir, db: () => Promise.resolve(db) };
  const approvals = new GatewayExecApprovals({
    location,
    queue,
    hasApprovalClients: () => options.clients ?? true,
    notifyChat: options.chat || options.sent
      ? (chat, text) => {
        options.chat?.push(text);
        options.sent?.push([`${chat.channel}:${chat.to}`, text]);
        poke();
        return Promise.resolve(true);
      }
      : undefined,
    forwarding: () => options.forwarding,
    configured: (agentId) => configuredExecPolicy(options.config ?? {}, agentId),
    pathEnv: () => bin,
    home: stateDir,
    timeoutMs: options.timeoutMs,
  });
  return {
    approvals,
    queue,
    events,
    location,
    ask: (command, extra) => ({
      command,
      cwd: stateDir,
      agentId: "main",
      sessionKey: "agent:main:main",
      runId: "run-1",
      host: "gateway",
      ...extra,
    }),
    setPolicy: async (file) => {
      await updateApprovals(location, () => file);
    },
    waitFor: async <T>(check: () => T | undefined, label: string): Promise<T> => {
      const expired = Promise.withResolvers<never>();
      const timer = setTimeout(() => expired.reject(new Error(`no ${label} within 2 s`)), 2_000);
      try {
        for (;;) {
          const value = check();
          if (value !== undefined) return value;
          await Promise.race([wake.promise, expired.promise]);
        }
      } finally {
        clearTimeout(timer);
      }
    },
    dispose: async () => {
      queue.close();
      db.close();
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}

/** The id of the first announced request (waits on the queue's events, bounded). */
function requestedId(h: Harness): Promise<string> {
  return h.waitFor(() => {
    const found = h.events.find(([event]) => event === "exec.approval.requested");
    return found ? String(found[1].id) : undefined;
  }, "exec.approval.requested event");
}

/** The id of the first pending approval (waits on the queue's events, bounded). */
function pendingId(h: Harness): Promise<string> {
  return h.waitFor(() => h.queue.list()[0]?.id, "pending approval");
}

const signal = () => new AbortController().signal;

Deno.test("no document, no tools.exec: the safer default asks on a miss and falls back to deny", async () => {
  const h = await harness({ clients: false });
  try {
    const refused = await h.approvals.authorize(h.ask("rg x"), signal());
    assert.match(
      !refused.allowed ? refused.reason : "",
      /^Exec denied \(gateway id=[0-9a-f-]+, approval-timeout\): rg x$/,
    );
    assert.equal(h.events[0]![0], "exec.approval.requested");
    const request = h.events[0]![1].request as Record<string, unknown>;
    assert.equal(request.security, "allowlist");
    assert.equal(request.ask, "on-miss");
  } finally {
    await h.dispose();
  }
});

Deno.test("without `requested`, authorize reads tools.exec from the config in force (global, then the agent's)", async () => {
  const full = await harness({ config: { tools: { exec: { security: "full", ask: "off" } } } });
  try {
    assert.deepEqual(await full.approvals.authorize(full.ask("rg x"), signal()), { allowed: true, decision: "full" });
    assert.equal(full.events.length, 0);
    // The call's own ask only hardens: ask=always asks even under full.
    const asked = full.approvals.authorize(full.ask("rg x", { ask: "always" }), signal());
    const id = await requestedId(full);
    full.queue.resolve(id, "deny", { resolvedBy: "t", resolver: { kind: "runtime" } });
    assert.equal((await asked).allowed, false);
  } finally {
    await full.dispose();
  }
  const denied = await harness({
    config: {
      tools: { exec: { security: "full", ask: "off" } },
      agents: { list: [{ id: "main", tools: { exec: { security: "deny" } } }] },
    },
  });
  try {
    assert.deepEqual(await denied.approvals.authorize(denied.ask("rg x"), signal()), {
      allowed: false,
      reason: "exec denied: host=gateway security=deny",
    });
  } finally {
    await denied.dispose();
  }
  // A host document that sets the policy decides it alone (the reference's behaviour).
  const row = await harness();
  try {
    await row.setPolicy({ version: 1, defaults: { security: "full", ask: "off" } });
    assert.deepEqual(await row.approvals.authorize(row.ask("rg x"), signal()), { allowed: true, decision: "full" });
  } finally {
    await row.dispose();
  }
});

Deno.test("the call's PATH resolves bare names: an allowlisted rg is found only on it", async () => {
  const h = await harness({ clients: false });
  try {
    const other = join(h.location.stateDir, "other");
    await Deno.mkdir(other);
    await Deno.writeTextFile(join(other, "tool"), "#!/bin/sh\n");
    await Deno.chmod(join(other, "tool"), 0o755);
    await h.setPolicy({
      version: 1,
      defaults: { security: "allowlist", ask: "off" },
      agents: { main: { allowlist: [{ pattern: join(other, "tool") }] } },
    });
    assert.equal((await h.approvals.authorize(h.ask("tool"), signal())).allowed, false);
    assert.deepEqual(await h.approvals.authorize(h.ask("tool", { path: other }), signal()), {
      allowed: true,
      decision: "allowlist",
    });
  } finally {
    await h.dispose();
  }
});

Deno.test("security deny refuses with the reference's signature; sandboxed commands are not host exec", async () => {
  const h = await harness();
  try {
    await h.setPolicy({ version: 1, defaults: { security: "deny" } });
    assert.deepEqual(await h.approvals.authorize(h.ask("rg x"), signal()), {
      allowed: false,
      reason: "exec denied: host=gateway security=deny",
    });
    assert.equal((await h.approvals.authorize(h.ask("rg x", { host: "sandbox" }), signal())).allowed, true);
  } finally {
    await h.dispose();
  }
});

Deno.test("on-miss asks: allow-once runs it once, deny refuses with the approval id", async () => {
  const h = await harness();
  try {
    await h.setPolicy({ version: 1, defaults: { security: "allowlist", ask: "on-miss" } });
    const pending = h.approvals.authorize(h.ask("rg x"), signal());
    const id = await requestedId(h);
    const listed = h.queue.list();
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.request.command, "rg x");
    assert.deepEqual(listed[0]!.request.allowedDecisions, ["allow-once", "allow-always", "deny"]);
    assert.equal(h.queue.resolve(id, "allow-once", { resolvedBy: "test", resolver: { kind: "runtime" } }), "resolved");
    assert.deepEqual(await pending, { allowed: true, decision: "allow-once" });
    assert.equal(h.events.at(-1)![0], "exec.approval.resolved");
    // Asked again next time: allow-once left nothing behind.
    const again = h.approvals.authorize(h.ask("rg x"), signal());
    const second = await pendingId(h);
    h.queue.resolve(second, "deny", { resolvedBy: "test", resolver: { kind: "runtime" } });
    assert.deepEqual(await again, { allowed: false, reason: `Exec denied (gateway id=${second}, user-denied): rg x` });
  } finally {
    await h.dispose();
  }
});

Deno.test("allow-always adds a cwd-bound allowlist entry: the same command then runs without asking", async () => {
  const h = await harness();
  try {
    await h.setPolicy({ version: 1, defaults: { security: "allowlist", ask: "on-miss" } });
    const pending = h.approvals.authorize(h.ask("rg needle"), signal());
    h.queue.resolve(await requestedId(h), "allow-always", { resolvedBy: "test", resolver: { kind: "runtime" } });
    assert.equal((await pending).allowed, true);
    const stored = await readApprovals(h.location);
    const entry = stored.file.agents?.main?.allowlist?.[0];
    assert.equal(entry?.source, "allow-always");
    assert.equal(entry?.pattern, await Deno.realPath(join(h.location.stateDir, "bin", "rg")));
    assert.match(String(entry?.argPattern), /^sha256:cwd-argv:v1:/);
    const before = h.events.length;
    assert.deepEqual(await h.approvals.authorize(h.ask("rg needle"), signal()), {
      allowed: true,
      decision: "allowlist",
    });
    assert.equal(h.events.length, before, "no new ask");
    // Another argument list is a new question.
    const other = h.approvals.authorize(h.ask("rg other"), signal());
    h.queue.resolve(await pendingId(h), "deny", { resolvedBy: "t", resolver: { kind: "runtime" } });
    assert.equal((await other).allowed, false);
  } finally {
    await h.dispose();
  }
});

Deno.test("no operator to ask: askFallback decides at once (deny, then full)", async () => {
  const h = await harness({ clients: false });
  try {
    await h.setPolicy({ version: 1, defaults: { security: "allowlist", ask: "on-miss", askFallback: "deny" } });
    const denied = await h.approvals.authorize(h.ask("rg x"), signal());
    assert.equal(denied.allowed, false);
    assert.match(
      !denied.allowed ? denied.reason : "",
      /^Exec denied \(gateway id=[0-9a-f-]+, approval-timeout\): rg x$/,
    );
    await h.setPolicy({ version: 1, defaults: { security: "full", ask: "always", askFallback: "full" } });
    assert.deepEqual(await h.approvals.authorize(h.ask("rg x"), signal()), {
      allowed: true,
      decision: "ask-fallback:full",
    });
  } finally {
    await h.dispose();
  }
});

Deno.test("a timed-out ask falls back; an aborted run cancels its ask", async () => {
  const h = await harness({ timeoutMs: 30 });
  try {
    await h.setPolicy({ version: 1, defaults: { security: "allowlist", ask: "on-miss", askFallback: "deny" } });
    const timedOut = await h.approvals.authorize(h.ask("rg x"), signal());
    assert.match(!timedOut.allowed ? timedOut.reason : "", /approval-timeout/);
    assert.equal(h.queue.history()[0]!.terminalReason, "timeout");
    const abort = new AbortController();
    const pending = h.approvals.authorize(h.ask("rg y"), abort.signal);
    await pendingId(h);
    abort.abort();
    const aborted = await pending;
    assert.match(!aborted.allowed ? aborted.reason : "", /run-aborted/);
    assert.equal(h.queue.list().length, 0);
  } finally {
    await h.dispose();
  }
});

Deno.test("a run from a chat gets the reference's /approve text there", async () => {
  const chat: string[] = [];
  const h = await harness({ clients: false, chat });
  try {
    await h.setPolicy({ version: 1, defaults: { security: "allowlist", ask: "on-miss" } });
    const pending = h.approvals.authorize(
      h.ask("rg x", { origin: { channel: "telegram", to: "42", accountId: "default" } }),
      signal(),
    );
    const id = await requestedId(h);
    await h.waitFor(() => chat[0], "chat prompt");
    assert.match(chat[0]!, /^🔒 Exec approval required\nID: /);
    assert.ok(chat[0]!.includes(`Reply with: /approve ${id} allow-once|allow-always|deny`));
    assert.equal(h.queue.list().length, 1, "the chat is a route: the ask stays pending");
    h.queue.resolve(id, "allow-once", { resolvedBy: "telegram:42", resolver: { kind: "channel", id: "telegram:42" } });
    assert.equal((await pending).allowed, true);
  } finally {
    await h.dispose();
  }
});

Deno.test("approvals.exec targets get the prompt, may /approve it from there, and hear the outcome", async () => {
  const sent: [string, string][] = [];
  const forwarding: ExecApprovalsForwarding = {
    mode: "targets",
    agentFilter: ["main"],
    sessionFilter: ["agent:main"],
    targets: [{ channel: "telegram", to: "7" }],
  };
  const h = await harness({ clients: false, sent, forwarding });
  try {
    await h.setPolicy({ version: 1, defaults: { security: "allowlist", ask: "on-miss" } });
    const pending = h.approvals.authorize(h.ask("rg x"), signal());
    const id = await pendingId(h);
    await h.waitFor(() => sent[0], "forwarded prompt");
    assert.equal(sent[0]![0], "telegram:7");
    assert.ok(sent[0]![1].includes(`Reply with: /approve ${id} allow-once|allow-always|deny`));
    const reply = approveFromChat(h.queue, `${id} allow-once`, {
      channel: "telegram",
      senderId: "7",
      chat: "7",
      sessionKey: "agent:main:telegram:direct:7",
    });
    assert.equal(reply, `✅ Approval allow-once submitted for ${id}.`);
    assert.equal((await pending).allowed, true);
    assert.deepEqual(sent[1], ["telegram:7", `✅ Exec approval allowed once. Resolved by telegram:7. ID: ${id}`]);
    // Another agent does not pass the filter: no forward, nobody to ask, askFallback (deny).
    const other = await h.approvals.authorize(h.ask("rg y", { agentId: "ops" }), signal());
    assert.equal(other.allowed, false);
    assert.equal(sent.length, 2);
  } finally {
    await h.dispose();
  }
});
