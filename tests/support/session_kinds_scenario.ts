// What kind each session is, against the reference gateway (recorded by tools/record_reference_session_kinds.ts) or
// ours (tests/integration/session_kinds_test.ts): a Telegram DM, a plain group message and a forum topic message on
// the fake Bot API, then the Control UI's chat.send on main and on a named session; the `sessions.list` rows' kind
// fields and routes.
import { startFakeTelegram } from "./fake_telegram.ts";
import { startFakeUpstream } from "./fake_upstream.ts";
import { connectReference } from "./reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { runEnded } from "./read_state_steps.ts";
import { freePort } from "./spawn_gateway.ts";

const TOKEN = "session-kinds-token-0123456789";
const BOT = "123456:session-kinds";
/** A plain group and a forum supergroup the messages come from. */
const GROUP = { id: -200777, type: "group" as const };
const FORUM = { id: -100555, type: "supergroup" as const, "is_forum": true };

/** The row fields that say what kind of session it is and where it talks. */
const KIND_FIELDS = [
  "key",
  "kind",
  "classification",
  "isMain",
  "isBackground",
  "peerKind",
  "chatType",
  "channel",
  "deliveryContext",
  "lastChannel",
  "lastTo",
  "lastAccountId",
  "lastThreadId",
];

/** A row's kind fields; `others` names the fields the reference sets that this scenario does not compare. */
function kindOf(row: Record<string, unknown>): Record<string, unknown> {
  const picked = Object.fromEntries(KIND_FIELDS.filter((k) => k in row).map((k) => [k, row[k]]));
  const others = ["origin", "displayName", "subject", "groupChannel", "accountId"].filter((k) => k in row);
  return { ...picked, others };
}

/** What one run recorded: the session rows, by key, and the full rows (for reading). */
export interface SessionKindsRecording {
  sessions: Record<string, unknown>[];
  full: Record<string, unknown>[];
}

/** Runs the scenario against `target` ("ref": the reference under `root`; any other: ours), stopping all it started. */
export async function runSessionKindsScenario(target: string, root: string): Promise<SessionKindsRecording> {
  const telegram = startFakeTelegram(BOT);
  const upstream = startFakeUpstream();
  upstream.script("m1", [
    { text: "Answer DM." },
    { text: "Answer group." },
    { text: "Answer topic." },
    { text: "Answer main." },
    { text: "Answer work." },
  ]);
  const port = freePort();
  const config = {
    ...clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }),
    channels: {
      telegram: {
        botToken: BOT,
        apiRoot: telegram.url,
        dmPolicy: "open",
        allowFrom: ["*"],
        groupPolicy: "open",
        groups: { [String(GROUP.id)]: { requireMention: false }, [String(FORUM.id)]: { requireMention: false } },
      },
    },
  };
  const gateway = await startRecordedGateway(target, { root, port, config });
  try {
    telegram.push(telegram.text(4242, "hello dm"));
    await telegram.waitForSent((s) => s.some((m) => m.text === "Answer DM."), 60_000);
    telegram.push(telegram.text(7, "hello group", GROUP));
    await telegram.waitForSent((s) => s.some((m) => m.text === "Answer group."), 60_000);
    telegram.push(telegram.text(7, "hello topic", FORUM, 42));
    await telegram.waitForSent((s) => s.some((m) => m.text === "Answer topic."), 60_000);
    const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.write"] });
    try {
      await client.request("chat.send", {
        sessionKey: "agent:main:main",
        message: "hello main",
        idempotencyKey: "kinds-main",
      });
      await runEnded(client, "kinds-main");
      await client.request("chat.send", {
        sessionKey: "agent:main:work",
        message: "hello work",
        idempotencyKey: "kinds-work",
      });
      await runEnded(client, "kinds-work");
      const listed = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
      const rows = listed.sessions.sort((a, b) => String(a.key).localeCompare(String(b.key)));
      return { sessions: rows.map(kindOf), full: rows };
    } finally {
      client.stop();
    }
  } finally {
    await gateway.stop();
    await telegram.stop();
    await upstream.stop();
  }
}
