// The rules for files the gateway sends out (answers' `MEDIA:` lines, the `send` method, the `message`
// tool): for each send, the sending agent's workspace and the media store are where local files may
// come from, web_fetch's SSRF policy is what remote ones go through, and the size limit is the
// reference's for staging outbound media (config/outbound_media_limit.ts).
import type { AgentsConfig } from "../config/resolve_agents.ts";
import { resolveWebFetch } from "../config/resolve_web_fetch.ts";
import type { OutboundMediaRules } from "../agent/outbound_media.ts";
import type { LookupFn } from "../agent/web_fetch_guard.ts";
import type { OutboundFiles, OutboundFilesContext } from "../channels/media_delivery.ts";
import type { MediaStore } from "../media/media_types.ts";

/** What the outbound file rules read from the gateway. */
export interface OutboundFilesDeps {
  store: MediaStore;
  /** The media store's directory (`<stateDir>/media`): its files may be sent. */
  storeRoot: string;
  agents(): AgentsConfig;
  /** The size limit for one account's sends, from the config in force (config/outbound_media_limit.ts). */
  maxBytes(channel: string, accountId: string): number;
  home?: string | undefined;
  /** Resolves host names (tests); the system resolver otherwise. */
  lookup?: LookupFn | undefined;
}

/** The gateway's {@link OutboundFiles}: rules read per send, so a config reload applies at once. */
export function wireOutboundFiles(deps: OutboundFilesDeps): OutboundFiles {
  function rules(context: OutboundFilesContext): OutboundMediaRules {
    const agents = deps.agents();
    const agent = agents.agents.find((a) => a.id === (context.agentId ?? agents.defaultAgentId)) ??
      agents.agents.find((a) => a.id === agents.defaultAgentId);
    if (!agent) throw new Error(`Cannot send files: no agent ${context.agentId ?? agents.defaultAgentId}`);
    return {
      workspace: agent.workspace,
      roots: [deps.storeRoot],
      store: deps.store,
      maxBytes: deps.maxBytes(context.channel, context.accountId),
      ssrfPolicy: (agent.webFetch ?? resolveWebFetch({})).ssrfPolicy,
      lookup: deps.lookup,
      home: deps.home,
    };
  }
  // The rules' network side (the SSRF guard, DNS) loads with the first file sent, never at start.
  const load = () => import("../agent/outbound_media.ts");
  return {
    resolve: async (reference, context) => (await load()).resolveOutboundMedia(reference, rules(context)),
    saveBuffer: async (buffer, input, context) => (await load()).saveOutboundBuffer(buffer, input, rules(context)),
  };
}
