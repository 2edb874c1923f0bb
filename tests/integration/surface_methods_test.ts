// Every method the surface families added, called through the real program with the params the
// reference's own clients sent (recorded from the reference 2026.9.6 Control UI and CLI), checked
// against the keys the reference answered with; then the reference CLI itself reads ours.
import assert from "node:assert/strict";
import { FAKE_CHUNKS, startFakeUpstream } from "../support/fake_upstream.ts";
import { runPeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "surface-token-0123456789abcdef";
const SESSION = { sessionKey: "agent:main:main", agentId: "main" };

/** Method, the params the reference Control UI sent, and the top-level keys of our answer (reference order). */
const UI_CALLS: [string, unknown, string[] | "array"][] = [
  ["update.status", {}, ["sentinel", "updateAvailable", "effectiveChannel", "schedule"]],
  ["users.prefs.get", { keys: ["ui.theme", "ui.themeMode", "ui.accent", "ui.fontUi", "ui.fontChat"] }, ["status"]],
  [
    "users.prefs.set",
    { entries: { "new-session.migration.v1": true }, expectedEntries: { "new-session.migration.v1": null } },
    ["status"],
  ],
  ["plugins.controlUi.list", {}, ["revision", "plugins", "diagnostics"]],
  ["plugins.list", {}, ["plugins", "diagnostics", "mutationAllowed"]],
  ["plugins.catalog.browse", { intent: "all", pageSize: 100 }, ["items"]],
  ["exec.approval.list", {}, "array"],
  ["plugin.approval.list", {}, "array"],
  ["openclaw.approval.list", {}, "array"],
  ["approval.history", { limit: 50 }, ["items"]],
  ["exec.approval.grants.list", {}, ["grants"]],
  ["exec.approvals.get", {}, ["path", "exists", "file", "hash", "resolvedDefaults"]],
  ["question.list", {}, ["questions"]],
  ["themes.list", {}, ["current", "theme", "themes"]],
  ["cron.status", {}, ["enabled", "triggersEnabled", "storePath", "storage", "sqlitePath", "jobs", "nextWakeAtMs"]],
  [
    "cron.list",
    {
      agentId: "main",
      includeDisabled: true,
      includeDeliveryPreviews: false,
      compact: true,
      limit: 50,
      offset: 0,
      enabled: "all",
      sortBy: "nextRunAtMs",
      sortDir: "asc",
    },
    ["jobs", "snapshotRevision", "total", "offset", "limit", "hasMore", "nextOffset"],
  ],
  [
    "cron.runs",
    { agentId: "main", scope: "all", limit: 50, offset: 0, status: "all", sortDir: "desc" },
    ["entries", "total", "offset", "limit", "hasMore", "nextOffset"],
  ],
  ["skills.status", { agentId: "main" }, ["workspaceDir", "managedSkillsDir", "agentId", "skills"]],
  [
    "skills.library.list",
    { scope: "all" },
    ["entries", "multipleProfiles", "defaultTarget", "canManageWorkspace", "defaultSelectionLimit"],
  ],
  ["skills.proposals.list", { agentId: "main" }, ["schema", "updatedAt", "proposals", "installedSkills"]],
  ["skills.search", { limit: 20 }, ["results"]],
  ["diagnostics.lanes", {}, ["ts", "lanes", "dynamic"]],
  ["diagnostics.stability", { limit: 25 }, ["generatedAt", "capacity", "count", "dropped", "events", "summary"]],
  ["usage.status", null, ["updatedAt", "providers", "refreshing"]],
  ["usage.cost", { days: 30 }, ["updatedAt", "days", "daily", "totals", "cacheStatus"]],
  ["commands.list", { agentId: "main" }, ["commands"]],
  ["worktrees.list", {}, ["worktrees"]],
  ["hooks.status", {}, ["workspaceDir", "managedHooksDir", "hooks"]],
  ["voicewake.get", {}, ["triggers"]],
  ["environments.list", { includeDesktopSetup: true }, ["environments"]],
  ["transcripts.list", { limit: 50 }, ["sessions", "nextCursor"]],
  ["portal.list", {}, ["portals"]],
  ["secrets.store.list", {}, ["entries"]],
  ["openclaw.chat.history", {}, ["turns"]],
  ["board.get", SESSION, ["sessionKey", "revision", "tabs", "widgets"]],
  ["progressCard.get", { sessionKey: "agent:main:main" }, ["card"]],
  ["taskSuggestions.list", { agentId: "main" }, ["suggestions"]],
  ["mentions.list", {}, ["gatewayInstanceId", "revision", "items"]],
  ["session.discussion.info", SESSION, ["state"]],
  ["controlUi.sessionPullRequests.subscribe", { sessionKeys: ["agent:main:main"] }, ["subscribed"]],
  ["projects.list", {}, ["projects", "recents"]],
  ["webSearch.status", { agentId: "main" }, ["enabled", "provider", "agentId", "model", "providers", "route"]],
  ["tools.github.status", { agentId: "main", selectedScope: "system" }, [
    "agentId",
    "selectedScope",
    "selected",
    "effective",
  ]],
  ["users.github.status", {}, ["personal", "system"]],
  ["users.listModelAccounts", { profileId: "gateway-owner" }, ["profileId", "accounts", "links"]],
  ["doctor.memory.status", { agentId: "main" }, ["agentId", "embedding"]],
  ["migrations.memory.plan", { agentId: "main", overwrite: false }, ["agentId", "workspace", "providers"]],
  ["config.schema.lookup", { path: "agents.defaults" }, ["path", "schema", "reloadKind", "children"]],
  ["terminal.resize", { sessionId: "3673b424-a62c-4bb9-898c-6f22aabae6b9", cols: 144, rows: 70 }, ["ok"]],
  ["talk.catalog", {}, ["modes", "transports", "brains", "speech", "transcription", "realtime"]],
  [
    "openclaw.setup.detect",
    { agentId: "main" },
    [
      "manualProviders",
      "authOptions",
      "prepareOptions",
      "nativeSessionCatalogs",
      "nativeSessionCatalogPreferenceRequired",
      "workspace",
      "setupComplete",
      "candidates",
      "unavailableCandidates",
      "recommendedInstalls",
    ],
  ],
];

/** Answered with the reference's own errors for a feature that is not there. */
const UI_REFUSALS: [string, unknown, string][] = [
  [
    "plugin.surface.refresh",
    { surface: "canvas", observedUrl: "http://127.0.0.1:1/__openclaw__/cap/x" },
    "canvas plugin surface unavailable",
  ],
  ["users.self", {}, "users.self requires an authenticated user"],
  ["terminal.open", { agentId: "main", cols: 144, rows: 70 }, "terminal is disabled"],
  [
    "openclaw.chat",
    { sessionId: "control-ui-onboarding-f34fe9f9-f1f1-4841-a052-a64e08ae4fac" },
    "OpenClaw requires working inference",
  ],
];

const SESSIONS_USAGE_PARAMS = {
  agentId: "main",
  mode: "specific",
  timeZone: "UTC",
  utcOffset: "UTC+0",
  groupBy: "family",
  limit: 1000,
  includeContextWeight: false,
};

async function withGateway(
  body: (ctx: { session: ReferenceSession; port: number; stateDir: string; pid: number }) => Promise<void>,
) {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["m1"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    await body({ session, port, stateDir: home.stateDir, pid: proc.child.pid });
  } finally {
    session.stop();
    assert.equal(await proc.stop(), 0);
    await upstream.stop();
    await home.cleanup();
  }
}

Deno.test("surface methods: the reference Control UI's calls answered in the reference's shapes, usage from our runs", async () => {
  await withGateway(async ({ session, port, stateDir, pid }) => {
    const advertised = (session.hello.features as { methods: string[] }).methods;
    for (const [method] of [...UI_CALLS, ...UI_REFUSALS]) {
      assert.ok(advertised.includes(method), `${method} in hello-ok`);
    }
    assert.ok(
      !advertised.includes("sessions.usage"),
      "sessions.usage is answered but not advertised, as in the reference",
    );

    for (const [method, params, keys] of UI_CALLS) {
      const payload = await session.request(method, params);
      if (keys === "array") assert.deepEqual(payload, [], method);
      else assert.deepEqual(Object.keys(payload as object), keys, method);
    }
    for (const [method, params, message] of UI_REFUSALS) {
      await assert.rejects(session.request(method, params), (error: Error) => error.message.includes(message), method);
    }

    const info = await session.request<Record<string, unknown>>("system.info", {});
    assert.deepEqual([info.port, info.pid, info.diskPath], [port, pid, stateDir]);
    assert.deepEqual(info.defaultAgentUtilityModel, { status: "configured", model: "fake/m1" });
    const mentions = await session.request<{ gatewayInstanceId: string }>("mentions.list", {});
    assert.equal(mentions.gatewayInstanceId, info.processInstanceId);

    // One turn on the fake model: its tokens show in usage.cost and sessions.usage.
    await session.request("agent", { message: "hi", sessionKey: "agent:main:main", idempotencyKey: "u1" }, {
      expectFinal: true,
    });
    const cost = await session.request<{ totals: Record<string, unknown>; daily: unknown[] }>("usage.cost", {});
    assert.equal(cost.daily.length, 30);
    assert.deepEqual([cost.totals.input, cost.totals.output], [10, FAKE_CHUNKS.length]);
    assert.deepEqual(cost.totals.missingCostByModel, { "fake/m1": 1 });
    const today = new Date().toISOString().slice(0, 10);
    const usage = await session.request<{ sessions: { key: string; usage: { totalTokens: number } }[] }>(
      "sessions.usage",
      { ...SESSIONS_USAGE_PARAMS, startDate: today, endDate: today },
    );
    assert.deepEqual(usage.sessions.map((s) => [s.key, s.usage.totalTokens]), [
      ["agent:main:main", 10 + FAKE_CHUNKS.length],
    ]);
    // The chat page's reads after a send, now that the session is stored.
    const github = await session.request<object>("sessions.github.options", SESSION);
    assert.deepEqual(Object.keys(github), ["personal", "shared", "pendingPersonal", "latestShared"]);
    const evidence = await session.request<object>("session.members.listEvidence", SESSION);
    assert.deepEqual(Object.keys(evidence), [
      "sessionKey",
      "owner",
      "members",
      "identities",
      "role",
      "allowedVisibilities",
    ]);
    const lanes = await session.request<{ lanes: { activeCount: number }[] }>("diagnostics.lanes", {});
    assert.equal(lanes.lanes[0]!.activeCount, 0, "the turn is over");
  });
});

Deno.test("surface methods: the reference CLI reads our usage cost, stability, cron and skills", async () => {
  await withGateway(async ({ port }) => {
    const peer = await tempHome({ gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } });
    try {
      const where = { home: peer.home, stateDir: peer.stateDir, configPath: peer.configPath };
      const json = async (args: string[]) => {
        const run = await runPeer([...args, "--json"], where);
        assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
        return JSON.parse(run.stdout) as Record<string, unknown>;
      };
      assert.equal((await json(["gateway", "usage-cost", "--days", "7"])).days, 7);
      assert.deepEqual((await json(["gateway", "stability"])).events, []);
      // The scheduler is on by default (no jobs yet: it answers without being loaded).
      assert.equal((await json(["cron", "status"])).enabled, true);
      assert.deepEqual((await json(["cron", "list"])).jobs, []);
      assert.deepEqual((await json(["skills", "list"])).skills, []);
      assert.deepEqual(await json(["system", "heartbeat", "disable"]), { ok: true, enabled: false });
      assert.deepEqual((await json(["users", "list"])).profiles, []);
    } finally {
      await peer.cleanup();
    }
  });
});
