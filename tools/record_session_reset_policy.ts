// Records tests/fixtures/session_reset/reference_policy.json: what the reference OpenClaw 2026.9.6's own
// reset-policy code (dist/reset-policy-*.mjs, dist/reset-*.mjs) decides for a table of `session.reset*`
// configs, session keys and timestamps. Its modules are loaded into the reference's node, once per time
// zone (TZ set on that child only, as the reference reads the host's zone), and asked:
//   - resolveSessionResetPolicy (channel > type > global, defaults) for each policy case;
//   - resolveSessionResetType for each session key;
//   - evaluateSessionFreshness for each freshness case, in UTC and around DST changes elsewhere.
//
//   deno run -A tools/record_session_reset_policy.ts
const DIST = "/tmp/peer/oc/node_modules/openclaw/dist";
const NODE = "/tmp/peer/node24/node_modules/.bin/node";
const OUT = new URL("../tests/fixtures/session_reset/reference_policy.json", import.meta.url);

/** A reference module whose bundle name carries a hash: found by its stem and a function it defines. */
function distModule(stem: string, defines: string): string {
  for (const entry of Deno.readDirSync(DIST)) {
    if (!new RegExp(`^${stem}-[A-Za-z0-9_-]{8}\\.mjs$`).test(entry.name)) continue;
    if (Deno.readTextFileSync(`${DIST}/${entry.name}`).includes(`function ${defines}(`)) return `${DIST}/${entry.name}`;
  }
  throw new Error(`cannot find the reference's ${stem} module in ${DIST}; install the reference first`);
}

const POLICY_CASES = [
  { name: "nothing configured", session: {}, type: "direct" },
  { name: "daily without hour", session: { reset: { mode: "daily" } }, type: "direct" },
  { name: "idle minutes without mode", session: { reset: { idleMinutes: 60 } }, type: "direct" },
  { name: "idle mode without minutes", session: { reset: { mode: "idle" } }, type: "direct" },
  { name: "idle mode with minutes", session: { reset: { mode: "idle", idleMinutes: 30 } }, type: "direct" },
  { name: "none mode", session: { reset: { mode: "none", idleMinutes: 30 } }, type: "direct" },
  {
    name: "type inherits the global mode and hour",
    session: { reset: { mode: "daily", atHour: 6 }, resetByType: { group: { idleMinutes: 120 } } },
    type: "group",
  },
  {
    name: "type under a none global defaults to daily",
    session: { reset: { mode: "none" }, resetByType: { group: { idleMinutes: 120 } } },
    type: "group",
  },
  {
    name: "type of another kind leaves the global",
    session: { reset: { mode: "daily", atHour: 6 }, resetByType: { group: { mode: "idle", idleMinutes: 120 } } },
    type: "direct",
  },
  {
    name: "thread type alone",
    session: { resetByType: { thread: { mode: "idle", idleMinutes: 10 } } },
    type: "thread",
  },
  {
    name: "channel replaces type and global wholesale",
    session: {
      reset: { mode: "daily", atHour: 6 },
      resetByType: { group: { mode: "idle", idleMinutes: 120 } },
      resetByChannel: { discord: { idleMinutes: 10080 } },
    },
    type: "group",
    channel: "discord",
  },
  {
    name: "channel id matched case-insensitively",
    session: { resetByChannel: { discord: { mode: "idle", idleMinutes: 15 } } },
    type: "direct",
    channel: " Discord ",
  },
  {
    name: "channel without an entry falls back",
    session: { reset: { mode: "idle", idleMinutes: 45 }, resetByChannel: { discord: { mode: "none" } } },
    type: "direct",
    channel: "telegram",
  },
  { name: "hour above range clamps", session: { reset: { mode: "daily", atHour: 25 } }, type: "direct" },
  { name: "hour below range clamps", session: { reset: { mode: "daily", atHour: -3 } }, type: "direct" },
  { name: "fractional hour floors", session: { reset: { mode: "daily", atHour: 6.7 } }, type: "direct" },
  { name: "fractional minutes floor", session: { reset: { mode: "idle", idleMinutes: 0.5 } }, type: "direct" },
];

const TYPE_KEYS = [
  "agent:main:main",
  "agent:main:telegram:direct:42",
  "agent:main:telegram:group:-100123",
  "agent:main:discord:channel:987",
  "agent:main:discord:channel:987:thread:555",
  "agent:main:slack:direct:u1:THREAD:9",
  "agent:main:irc:group:#ops",
  "agent:main:hook:abc",
];

const H = 3_600_000;
const M = 60_000;
/** Freshness cases; `at` values are UTC instants, the zone turns them into local wall clocks. */
function freshnessCases(): Record<string, unknown>[] {
  const day = Date.UTC(2026, 5, 10); // 2026-06-10T00:00Z
  const daily = (atHour: number) => ({ mode: "daily", atHour, configured: true });
  const idle = (idleMinutes: number) => ({ mode: "idle", atHour: 4, idleMinutes, configured: true });
  const cases: Record<string, unknown>[] = [
    { name: "daily: started before today's hour", policy: daily(4), now: day + 5 * H, sessionStartedAt: day - H },
    { name: "daily: started after today's hour", policy: daily(4), now: day + 5 * H, sessionStartedAt: day + 4.5 * H },
    { name: "daily: started at the hour exactly", policy: daily(4), now: day + 5 * H, sessionStartedAt: day + 4 * H },
    {
      name: "daily: before today's hour, started yesterday after it",
      policy: daily(4),
      now: day + 3 * H,
      sessionStartedAt: day - 19 * H,
    },
    {
      name: "daily: before today's hour, started yesterday before it",
      policy: daily(4),
      now: day + 3 * H,
      sessionStartedAt: day - 21 * H,
    },
    {
      name: "daily: interaction does not extend",
      policy: daily(4),
      now: day + 5 * H,
      sessionStartedAt: day - H,
      lastInteractionAt: day + 4.9 * H,
    },
    {
      name: "idle: one minute past",
      policy: idle(60),
      now: day + 12 * H,
      lastInteractionAt: day + 11 * H - M,
      sessionStartedAt: day,
    },
    {
      name: "idle: exactly at expiry",
      policy: idle(60),
      now: day + 12 * H,
      lastInteractionAt: day + 11 * H,
      sessionStartedAt: day,
    },
    { name: "idle: falls back to session start", policy: idle(60), now: day + 12 * H, sessionStartedAt: day + 10 * H },
    { name: "idle: falls back to updatedAt", policy: idle(60), now: day + 12 * H, updatedAt: day + 11.5 * H },
    {
      name: "idle: a future interaction is ignored",
      policy: idle(60),
      now: day + 12 * H,
      lastInteractionAt: day + 13 * H,
      sessionStartedAt: day,
    },
    { name: "idle: zero minutes never expires", policy: idle(0), now: day + 12 * H, lastInteractionAt: day },
    {
      name: "none: never stale",
      policy: { mode: "none", atHour: 4, idleMinutes: 1, configured: true },
      now: day + 12 * H,
      lastInteractionAt: day,
    },
    {
      name: "updatedAt zero is stale",
      policy: { mode: "none", atHour: 4, configured: false },
      now: day + 12 * H,
      updatedAt: 0,
    },
    {
      name: "both: daily boundary first",
      policy: { mode: "daily", atHour: 4, idleMinutes: 60, configured: true },
      now: day + 12 * H,
      sessionStartedAt: day - 2 * H,
      lastInteractionAt: day + 10 * H,
    },
    {
      name: "both: idle expiry first",
      policy: { mode: "daily", atHour: 4, idleMinutes: 30, configured: true },
      now: day + 12 * H,
      sessionStartedAt: day - 20 * H,
      lastInteractionAt: day - 21 * H,
    },
    {
      name: "both: only idle stale",
      policy: { mode: "daily", atHour: 4, idleMinutes: 30, configured: true },
      now: day + 12 * H,
      sessionStartedAt: day + 5 * H,
      lastInteractionAt: day + 11 * H,
    },
  ];
  // Around the 2026 DST changes (New York: 8 March, 1 November; Berlin: 29 March, 25 October;
  // Lord Howe shifts by 30 minutes on 5 April and 4 October).
  const edges = [
    { name: "New York spring-forward day, hour in the gap", at: Date.UTC(2026, 2, 8, 12), atHour: 2 },
    { name: "New York spring-forward day, hour after", at: Date.UTC(2026, 2, 8, 12), atHour: 4 },
    { name: "New York day after spring-forward, before the hour", at: Date.UTC(2026, 2, 9, 5), atHour: 4 },
    { name: "New York fall-back day, repeated hour", at: Date.UTC(2026, 10, 1, 12), atHour: 1 },
    { name: "New York fall-back day, hour after", at: Date.UTC(2026, 10, 1, 12), atHour: 4 },
    { name: "Berlin spring-forward day, hour in the gap", at: Date.UTC(2026, 2, 29, 10), atHour: 2 },
    { name: "Berlin fall-back day, repeated hour", at: Date.UTC(2026, 9, 25, 10), atHour: 2 },
    { name: "midnight hour", at: Date.UTC(2026, 5, 10, 12), atHour: 0 },
    { name: "last hour, before it", at: Date.UTC(2026, 5, 10, 12), atHour: 23 },
    { name: "Lord Howe half-hour change", at: Date.UTC(2026, 3, 5, 3), atHour: 2 },
    { name: "Lord Howe half-hour change back", at: Date.UTC(2026, 9, 4, 3), atHour: 2 },
  ];
  for (const edge of edges) {
    for (const startedHoursBefore of [1, 6, 12, 30]) {
      cases.push({
        name: `${edge.name}, started ${startedHoursBefore}h before`,
        policy: daily(edge.atHour),
        now: edge.at,
        sessionStartedAt: edge.at - startedHoursBefore * H,
      });
    }
  }
  return cases;
}

const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"];

const PROGRAM = `
const policy = await import(process.argv[1]);
const reset = await import(process.argv[2]);
const input = JSON.parse(process.argv[3]);
const resolveSessionResetPolicy = policy.n, evaluateSessionFreshness = policy.t;
const resolveSessionResetType = reset.n, resolveChannelResetConfig = reset.t;
const policies = input.policies.map((c) => ({
  ...c,
  resolved: resolveSessionResetPolicy({
    sessionCfg: c.session,
    resetType: c.type,
    resetOverride: resolveChannelResetConfig({ sessionCfg: c.session, channel: c.channel }),
  }),
}));
const types = input.keys.map((sessionKey) => ({ sessionKey, type: resolveSessionResetType({ sessionKey }) }));
const freshness = input.freshness.map((c) => ({
  ...c,
  decision: evaluateSessionFreshness({
    updatedAt: c.updatedAt ?? c.sessionStartedAt ?? c.lastInteractionAt,
    sessionStartedAt: c.sessionStartedAt,
    lastInteractionAt: c.lastInteractionAt,
    now: c.now,
    policy: c.policy,
  }),
}));
console.log(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, policies, types, freshness }));
`;

async function recordIn(zone: string): Promise<Record<string, unknown>> {
  const input = JSON.stringify({ policies: POLICY_CASES, keys: TYPE_KEYS, freshness: freshnessCases() });
  const output = await new Deno.Command(NODE, {
    args: [
      "--input-type=module",
      "-e",
      PROGRAM,
      distModule("reset-policy", "evaluateSessionFreshness"),
      distModule("reset", "resolveChannelResetConfig"),
      input,
    ],
    env: { TZ: zone },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`the reference's node failed in ${zone}: ${new TextDecoder().decode(output.stderr)}`);
  }
  // The zone as asked (node may name its canonical alias: Asia/Kolkata is Asia/Calcutta there).
  return { ...JSON.parse(new TextDecoder().decode(output.stdout)), zone };
}

if (import.meta.main) {
  const zones = [];
  for (const zone of ZONES) zones.push(await recordIn(zone));
  const [first] = zones as { policies: unknown; types: unknown }[];
  const recording = {
    reference:
      "OpenClaw 2026.9.6, dist/reset-policy + dist/reset (resolveSessionResetPolicy, resolveChannelResetConfig, " +
      "resolveSessionResetType, evaluateSessionFreshness), run in its node with TZ set per zone",
    defaults: { mode: "none", atHour: 4, idleMinutesWhenIdleModeWithout: 0 },
    policies: first!.policies,
    types: first!.types,
    freshnessByZone: zones.map((z) => ({ zone: z.zone, cases: z.freshness })),
  };
  await Deno.writeTextFile(OUT, JSON.stringify(recording, null, 2) + "\n");
  Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${OUT.pathname}: ${zones.length} zones\n`));
}
