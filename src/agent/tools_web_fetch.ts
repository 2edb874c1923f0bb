// The `web_fetch` tool family: a plain GET turned into readable markdown or text, bounded in
// size and time, refused on loopback, private, link-local and metadata targets unless
// `tools.web.fetch.ssrfPolicy` allows them. Absent when `tools.web.fetch.enabled` is false. The
// network code loads on the first call, not with the catalog.
import { clampChars, resolveWebFetch } from "../config/resolve_web_fetch.ts";
import type { AgentSpec } from "./agents_config.ts";
import { type AgentTool, ToolError, type ToolFamily, type ToolHost } from "./tool.ts";
import type { LookupFn } from "./web_fetch_guard.ts";

/** The reference shows this progress line when a fetch is still pending after five seconds. */
const PROGRESS_AFTER_MS = 5_000;

function settingsOf(host: ToolHost, agent: AgentSpec) {
  const now = host.config().agents.agents.find((candidate) => candidate.id === agent.id) ?? agent;
  return now.webFetch ?? resolveWebFetch({});
}

/** The `web_fetch` tool; `lookup` replaces DNS (tests). */
export function webFetchTool(host: ToolHost, agent: AgentSpec, lookup?: LookupFn): AgentTool {
  return {
    name: "web_fetch",
    label: "Web Fetch",
    description: "Fetch URL; extract readable markdown/text. Lightweight; no browser automation.",
    parameters: {
      type: "object",
      required: ["url"],
      properties: {
        url: { type: "string", description: "HTTP(S) URL." },
        extractMode: {
          type: "string",
          enum: ["markdown", "text"],
          description: "Extract as markdown/text.",
          default: "markdown",
        },
        maxChars: { type: "integer", description: "Max chars returned; truncates.", minimum: 100 },
      },
    },
    async execute(args, call) {
      const settings = settingsOf(host, agent);
      if (!settings.enabled) throw new ToolError("web_fetch is disabled.");
      if (typeof args.url !== "string" || !args.url.trim()) throw new ToolError("url required");
      // Models sometimes put a space after the scheme; the reference repairs that one case.
      const url = args.url.trim().replace(/^(https?:\/\/)\s+/i, "$1");
      const requested = typeof args.maxChars === "number" && args.maxChars > 0 ? Math.floor(args.maxChars) : undefined;
      const timer = setTimeout(
        () => call.update({ content: [{ type: "text", text: "Fetching page content..." }] }),
        PROGRESS_AFTER_MS,
      );
      const { runWebFetch } = await import("./web_fetch_run.ts");
      const { sanitizeExternalText, wrapExternalContent } = await import("./external_content.ts");
      try {
        const result = await runWebFetch({
          url,
          extractMode: args.extractMode === "text" ? "text" : "markdown",
          maxChars: clampChars(requested ?? settings.maxChars, settings.maxCharsCap),
          settings,
          signal: call.signal,
          lookup,
        });
        return { content: [{ type: "text", text: JSON.stringify(result, null, 2) }], details: result };
      } catch (error) {
        if (call.signal.aborted) throw error;
        // A failure past the argument checks may carry network-controlled text (a page's error body,
        // a redirect target): the reference hands it to the model wrapped as untrusted, like content.
        const message = sanitizeExternalText(error instanceof Error ? error.message : String(error)).slice(0, 4_000);
        throw new ToolError(wrapExternalContent(message, { source: "API", includeWarning: true }));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** `web_fetch`, unless `tools.web.fetch.enabled` is false. */
export const webFetchToolsFamily: ToolFamily = (host, agent) =>
  settingsOf(host, agent).enabled ? [webFetchTool(host, agent)] : [];
