// `openclaw agents list [--json] [--bindings]` (and bare `openclaw agents`): the configured agents
// as the reference summarizes them (recorded against OpenClaw 2026.9.6): identity from config, else
// the workspace's IDENTITY.md; workspace and state dirs; model; routing-rule counts and, for
// people, the routes and channel accounts they imply on configured channels.
import { describeBinding, routeBindings } from "../../config/agent_bindings.ts";
import { bindingRoutes, providerLines } from "../../config/agent_providers.ts";
import {
  agentDir,
  agentWorkspace,
  defaultBadgeAgentId,
  findEntry,
  normalizeAgentId,
  primaryModel,
  rosterEntries,
} from "../../config/agent_roster.ts";
import { readIdentityFile } from "../../config/identity_markdown.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { readProvenance } from "../../state/agent_provenance.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { type AgentsContext, loadAgentsContext, runAgents, shown } from "./agents_common.ts";

/** One agent as `agents list` summarizes it; keys in the reference's order. */
type Summary = Record<string, unknown> & { id: string; isDefault: boolean };

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** An avatar the list can link to as is (http(s) URL or data URI). */
function avatarUrl(value: unknown): string | undefined {
  const avatar = text(value);
  return avatar && /^(https?:\/\/|data:image\/)/i.test(avatar) ? avatar : undefined;
}

async function summarize(context: AgentsContext): Promise<Summary[]> {
  const tree = context.tree;
  const defaultId = defaultBadgeAgentId(tree);
  const entries = rosterEntries(tree);
  const ids = entries.length > 0
    ? [...new Set(entries.map((e) => normalizeAgentId(e.id)))]
    : defaultId
    ? [defaultId]
    : [];
  const counts = new Map<string, number>();
  for (const binding of routeBindings(tree)) {
    const id = normalizeAgentId(binding.agentId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const defaults = isJsonObject(tree.agents) && isJsonObject(tree.agents.defaults) ? tree.agents.defaults : {};
  return await Promise.all(ids.map(async (id): Promise<Summary> => {
    const entry = findEntry(tree, id)?.config ?? {};
    const workspace = agentWorkspace(tree, id, context.paths);
    const fromFile = await readIdentityFile(`${workspace}/IDENTITY.md`);
    const identity = isJsonObject(entry.identity) ? entry.identity : {};
    const configName = text(identity.name);
    const configEmoji = text(identity.emoji);
    const configAvatar = avatarUrl(identity.avatar);
    const avatar = configAvatar ?? avatarUrl(fromFile?.avatar);
    return {
      id,
      name: text(entry.name),
      identityName: configName ?? fromFile?.name,
      identityEmoji: configEmoji ?? fromFile?.emoji,
      identitySource: configName || configEmoji || configAvatar ? "config" : fromFile ? "identity" : undefined,
      workspace,
      agentDir: agentDir(tree, id, context.paths),
      model: primaryModel(entry.model) ?? primaryModel(defaults.model),
      bindings: counts.get(id) ?? 0,
      isDefault: defaultId !== undefined && id === defaultId,
      ...(avatar ? { identityAvatarUrl: avatar } : {}),
    };
  }));
}

function summaryLines(summary: Summary, context: AgentsContext): string[] {
  const tag = summary.isDefault ? " (default)" : "";
  const name = summary.name as string | undefined;
  const header = name && name !== summary.id ? `${summary.id}${tag} (${name})` : `${summary.id}${tag}`;
  const lines = [`- ${header}`];
  const identity = [summary.identityEmoji, summary.identityName].filter((part) => typeof part === "string").join(" ");
  const source = summary.identitySource === "identity"
    ? " (IDENTITY.md)"
    : summary.identitySource === "config"
    ? " (config)"
    : "";
  if (identity) lines.push(`  Identity: ${identity}${source}`);
  lines.push(`  Workspace: ${shown(context, summary.workspace as string)}`);
  lines.push(`  Agent dir: ${shown(context, summary.agentDir as string)}`);
  if (summary.model) lines.push(`  Model: ${summary.model}`);
  lines.push(`  Routing rules: ${summary.bindings}`);
  const routes = summary.routes as string[] | undefined;
  if (routes?.length) lines.push(`  Routing: ${routes.join(", ")}`);
  const providers = summary.providers as string[] | undefined;
  if (providers?.length) lines.push("  Providers:", ...providers.map((provider) => `    - ${provider}`));
  const details = summary.bindingDetails as string[] | undefined;
  if (details?.length) lines.push("  Routing rules:", ...details.map((detail) => `    - ${detail}`));
  return lines;
}

/** `openclaw agents list [--json] [--bindings]`. */
export async function agentsList(options: GlobalOptions & { json?: boolean; bindings?: boolean }): Promise<number> {
  return await runAgents(options.json, async () => {
    const context = await loadAgentsContext(options);
    const summaries = await summarize(context);
    if (options.json) {
      const records = readProvenance(context.paths.stateDir, summaries.map((summary) => summary.id));
      for (const summary of summaries) {
        const record = records.get(summary.id);
        if (record) Object.assign(summary, record);
      }
    }
    const routes = routeBindings(context.tree);
    for (const summary of summaries) {
      const own = routes.filter((binding) => normalizeAgentId(binding.agentId) === summary.id);
      if (options.bindings && own.length > 0) summary.bindingDetails = own.map(describeBinding);
      if (!options.json || options.bindings) {
        const implied = bindingRoutes(context.tree, own);
        if (implied.length > 0) summary.routes = implied;
        else if (summary.isDefault) summary.routes = ["default (no explicit rules)"];
        const providers = providerLines(context.tree, own, summary.isDefault);
        if (providers.length > 0) summary.providers = providers;
      }
    }
    if (options.json) {
      printJson(summaries);
      return 0;
    }
    printLine([
      "Agents:",
      ...summaries.map((summary) => summaryLines(summary, context).join("\n")),
      "Routing rules map channel/account/peer to an agent. Use --bindings for full rules.",
      "Channel status reflects local config/creds. For live health: openclaw channels status --probe.",
    ].join("\n"));
    return 0;
  });
}
