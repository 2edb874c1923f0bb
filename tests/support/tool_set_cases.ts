// The configs whose tool set the reference's model request is compared in, and one recording of a gateway in
// one of them, shared by tools/record_reference_tool_set.ts and tests/integration/tool_set_test.ts: the `tools`
// array of the first model request of a run (names in order, descriptions, parameter schemas) and what
// `tools.effective` and `tools.catalog` answer for the same agent.
import { startFakeUpstream } from "./fake_upstream.ts";
import { startFakeTelegram } from "./fake_telegram.ts";
import { connectReference } from "./reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { freePort } from "./spawn_gateway.ts";
import { until } from "./until.ts";

const TOKEN = "record-tool-set-token-0123456789";
const BOT = "123456:tool-set-bot-token";
/** The Telegram user whose DM starts the run of the `telegram-dm` case. */
const TELEGRAM_USER = 4242;

/** One recorded config: its name, the config it adds to the client test config, and where its run comes from. */
export interface ToolSetCase {
  name: string;
  /** Top-level config sections added to (or replacing) the base config. */
  extra: Record<string, unknown>;
  /** `chat.send` from an operator client, or a Telegram DM through the fake Bot API. */
  via: "chat.send" | "telegram";
}

/** The recorded configs, in recording order. */
export const TOOL_SET_CASES: readonly ToolSetCase[] = [
  // Each config, and (search-off-*) some with the reference's Tool Search off (`tools.toolSearch: false`): every tool
  // offered directly. The most telling first: a loaded machine may not record them all in one go.
  { name: "default", extra: {}, via: "chat.send" },
  { name: "search-off", extra: { tools: { toolSearch: false } }, via: "chat.send" },
  { name: "telegram-dm", extra: {}, via: "telegram" },
  { name: "search-off-telegram-dm", extra: { tools: { toolSearch: false } }, via: "telegram" },
  {
    name: "allow-named",
    extra: { tools: { allow: ["read", "exec", "web_fetch", "memory_search"] } },
    via: "chat.send",
  },
  { name: "also-allow-named", extra: { tools: { alsoAllow: ["web_fetch", "memory_search"] } }, via: "chat.send" },
  {
    name: "search-off-also-allow-named",
    extra: { tools: { toolSearch: false, alsoAllow: ["web_fetch", "memory_search"] } },
    via: "chat.send",
  },
  { name: "profile-coding", extra: { tools: { profile: "coding" } }, via: "chat.send" },
  { name: "search-off-coding", extra: { tools: { toolSearch: false, profile: "coding" } }, via: "chat.send" },
  { name: "profile-messaging", extra: { tools: { profile: "messaging" } }, via: "chat.send" },
  { name: "search-off-messaging", extra: { tools: { toolSearch: false, profile: "messaging" } }, via: "chat.send" },
  { name: "profile-minimal", extra: { tools: { profile: "minimal" } }, via: "chat.send" },
  { name: "search-off-minimal", extra: { tools: { toolSearch: false, profile: "minimal" } }, via: "chat.send" },
  { name: "profile-full", extra: { tools: { profile: "full" } }, via: "chat.send" },
  { name: "cron-enabled", extra: { cron: { enabled: true } }, via: "chat.send" },
  {
    name: "coding-also-allow-named",
    extra: { tools: { profile: "coding", alsoAllow: ["web_fetch", "memory_search"] } },
    via: "chat.send",
  },
];

/** One tool as the model request offered it. */
export interface OfferedTool {
  name: string;
  description: string;
  parameters: unknown;
}

/** A group of `tools.effective` or `tools.catalog` as answered (its `id`, `label`, `source`...) and its tools. */
export type ListedGroup = Record<string, unknown> & { tools: Record<string, unknown>[] };

/** What one gateway offered and answered in one case. */
export interface ToolSetRecording {
  case: string;
  names: string[];
  tools: OfferedTool[];
  /** `tools.effective` for the run's session, each tool without its `rawDescription`. */
  effective: { profile: unknown; groups: ListedGroup[] };
  /** `tools.catalog`, each tool without its `fullDescription`. */
  catalog: { groups: ListedGroup[] };
}

function offered(request: Record<string, unknown> | undefined): OfferedTool[] {
  const tools = (request?.tools ?? []) as { function?: { name: string; description?: string; parameters?: unknown } }[];
  return tools.map((tool) => ({
    name: tool.function?.name ?? "",
    description: tool.function?.description ?? "",
    parameters: tool.function?.parameters ?? null,
  }));
}

type Group = Record<string, unknown> & { tools: Record<string, unknown>[] };

/** A listed group with its tools' fields, less the long description the `tools` array already holds. */
function shown(group: Group, longField: string): ListedGroup {
  return { ...group, tools: group.tools.map(({ [longField]: _long, ...rest }) => rest) };
}

/**
 * Runs `target`'s gateway ("ref": the reference under `root`; any other: ours) in `testCase`'s config with the fake
 * model, starts one run as the case says and records the tools of its first model request, then `tools.effective`
 * and `tools.catalog`. Every process started here is stopped here.
 */
export async function recordToolSet(target: string, root: string, testCase: ToolSetCase): Promise<ToolSetRecording> {
  const upstream = startFakeUpstream();
  upstream.script("m1", [{ text: "Tool set seen." }]);
  const telegram = testCase.via === "telegram" ? startFakeTelegram(BOT) : undefined;
  const port = freePort();
  const workspace = await Deno.makeTempDir({ prefix: "toolset-ws-" });
  const base = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }) as {
    agents: { defaults: Record<string, unknown> };
  };
  base.agents.defaults.workspace = workspace;
  const config: Record<string, unknown> = {
    ...base,
    ...testCase.extra,
    ...(telegram
      ? { channels: { telegram: { botToken: BOT, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } } }
      : {}),
  };
  const gateway = await startRecordedGateway(target, { root, port, config });
  try {
    const session = await connectReference({
      port,
      token: TOKEN,
      mode: "cli",
      clientName: "cli",
      scopes: ["operator.read", "operator.write", "operator.admin"],
    });
    try {
      let sessionKey = "agent:main:toolset";
      if (telegram) {
        telegram.push(telegram.text(TELEGRAM_USER, "hello"));
        await telegram.waitForSent((sent) => sent.some((m) => m.text === "Tool set seen."), 120_000);
        sessionKey = "agent:main:main";
      } else {
        await session.request("chat.send", {
          sessionKey,
          message: "hello",
          idempotencyKey: `toolset-${testCase.name}`,
        });
        await until(() => upstream.requestsOf("m1").length > 0, "the first model request", 120_000);
      }
      const tools = offered(upstream.requestsOf("m1")[0]);
      const effective = await session.request<{ profile: unknown; groups: Group[] }>("tools.effective", {
        sessionKey,
      });
      const catalog = await session.request<{ groups: Group[] }>("tools.catalog", {});
      return {
        case: testCase.name,
        names: tools.map((tool) => tool.name),
        tools,
        effective: { profile: effective.profile, groups: effective.groups.map((g) => shown(g, "rawDescription")) },
        catalog: { groups: catalog.groups.map((g) => shown(g, "fullDescription")) },
      };
    } finally {
      session.stop();
    }
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(gateway.output().slice(-4000) + "\n"));
    throw error;
  } finally {
    await gateway.stop();
    await telegram?.stop();
    await upstream.stop();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
}
