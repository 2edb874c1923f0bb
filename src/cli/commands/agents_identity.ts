// `openclaw agents set-identity`: writes `agents.entries.<id>.identity` from flags or from an
// IDENTITY.md, as the reference does (recorded against OpenClaw 2026.9.6). `--workspace` and
// `--identity-file` only locate the agent and the file; the stored workspace never changes.
import {
  agentIds,
  agentWorkspace,
  normalizeAgentIdStrict,
  operationDefaultAgentId,
  resolveUserPath,
  withAgentEntry,
} from "../../config/agent_roster.ts";
import { type MarkdownIdentity, readIdentityFile } from "../../config/identity_markdown.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import {
  type AgentsContext,
  AgentsFailure,
  commitAgents,
  loadAgentsContext,
  runAgents,
  shown,
} from "./agents_common.ts";

/** Flags of `agents set-identity`. */
export interface SetIdentityFlags {
  agent?: string;
  workspace?: string;
  identityFile?: string;
  fromIdentity?: boolean;
  name?: string;
  theme?: string;
  emoji?: string;
  avatar?: string;
  json?: boolean;
}

function text(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

function notFound(id: string): AgentsFailure {
  return new AgentsFailure(`Agent "${id}" not found. Create it with \`openclaw agents add\`.`);
}

/** The agents whose workspace is `dir`. */
function agentsAt(context: AgentsContext, dir: string): string[] {
  const ids = agentIds(context.tree);
  const candidates = ids.length > 0 ? ids : [operationDefaultAgentId(context.tree) ?? "main"];
  return candidates.filter((id) => agentWorkspace(context.tree, id, context.paths) === dir);
}

/** `openclaw agents set-identity [--agent <id>] [--workspace <dir>] [--identity-file <path>] [--from-identity] [fields]`. */
export async function agentsSetIdentity(options: GlobalOptions & SetIdentityFlags): Promise<number> {
  return await runAgents(options.json, async () => {
    const context = await loadAgentsContext(options);
    const resolve = (path: string) => resolveUserPath(path, context.paths.home, context.cwd);
    const flags = {
      name: text(options.name),
      emoji: text(options.emoji),
      theme: text(options.theme),
      avatar: text(options.avatar),
    };
    const explicit = Object.values(flags).some((value) => value !== undefined);
    const identityFileRaw = text(options.identityFile);
    const workspaceRaw = text(options.workspace);
    const wantsFile = Boolean(options.fromIdentity || identityFileRaw || !explicit);
    let agentId: string | undefined;
    if (options.agent !== undefined) {
      agentId = normalizeAgentIdStrict(options.agent);
      if (!agentId) throw notFound(options.agent);
    }
    let identityFile: string | undefined;
    let workspaceDir: string | undefined;
    let locator: string | undefined;
    if (identityFileRaw) {
      identityFile = resolve(identityFileRaw);
      workspaceDir = identityFile.slice(0, identityFile.lastIndexOf("/")) || "/";
    } else if (workspaceRaw) {
      locator = resolve(workspaceRaw);
      workspaceDir = locator;
    } else if (agentId && wantsFile) workspaceDir = agentWorkspace(context.tree, agentId, context.paths);
    else if (wantsFile || !agentId) workspaceDir = resolve(".");
    if (!agentId) {
      const matches = agentsAt(context, workspaceDir!);
      if (matches.length === 0) {
        throw new AgentsFailure(
          `No agent workspace matches ${shown(context, workspaceDir!)}. Pass --agent to target a specific agent.`,
        );
      }
      if (matches.length > 1) {
        throw new AgentsFailure(
          `Multiple agents match ${shown(context, workspaceDir!)}: ${matches.join(", ")}. Pass --agent to choose one.`,
        );
      }
      agentId = matches[0]!;
    }
    if (!agentIds(context.tree).includes(agentId)) throw notFound(agentId);
    let fromFile: MarkdownIdentity | undefined;
    if (wantsFile) {
      const target = identityFile ?? `${workspaceDir}/IDENTITY.md`;
      fromFile = await readIdentityFile(target);
      if (!fromFile) throw new AgentsFailure(`No identity data found in ${shown(context, target)}.`);
    }
    const fileTheme = fromFile?.theme ?? fromFile?.creature ?? fromFile?.vibe;
    const incoming: Record<string, string> = {};
    const name = flags.name ?? fromFile?.name;
    const emoji = flags.emoji ?? fromFile?.emoji;
    const theme = flags.theme ?? fileTheme;
    const avatar = flags.avatar ?? fromFile?.avatar;
    if (name) incoming.name = name;
    if (emoji) incoming.emoji = emoji;
    if (theme) incoming.theme = theme;
    if (avatar) incoming.avatar = avatar;
    const tree = withAgentEntry(context.tree, agentId, { identity: incoming }, context.paths);
    await commitAgents(context, tree, options.json === true);
    const agents = isJsonObject(tree.agents) && isJsonObject(tree.agents.entries) ? tree.agents.entries : {};
    const entry = Object.entries(agents).find(([id]) => normalizeAgentIdStrict(id) === agentId)?.[1];
    const committed = isJsonObject(entry) && isJsonObject(entry.identity) ? entry.identity : {};
    const stored = agentWorkspace(tree, agentId, context.paths);
    if (options.json) {
      printJson({
        agentId,
        identity: committed,
        workspace: workspaceDir ?? null,
        storedWorkspace: stored,
        identityFile: identityFile ?? null,
      });
      return 0;
    }
    printLine(`Agent: ${agentId}`);
    for (const [key, label] of [["name", "Name"], ["theme", "Theme"], ["emoji", "Emoji"], ["avatar", "Avatar"]]) {
      if (typeof committed[key!] === "string") printLine(`${label}: ${committed[key!]}`);
    }
    printLine(`Workspace: ${shown(context, stored)}`);
    if (locator !== undefined && locator !== stored) {
      printLine(`Workspace locator: ${shown(context, locator)}`);
      printLine(
        `Stored workspace unchanged. Relocate with openclaw config set agents.entries.${agentId}.workspace ${
          quoteArg(locator)
        }.`,
      );
    } else if (fromFile && workspaceDir !== undefined && workspaceDir !== stored) {
      printLine(`Identity source: ${shown(context, workspaceDir)}`);
    }
    return 0;
  });
}

/** A shell argument as the reference quotes one in a printed command. */
function quoteArg(value: string): string {
  return /^[A-Za-z0-9_\/.:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}
