// `agents.files.list|get|set`: the agent workspace files the reference's Control UI edits on its Agents page
// (AGENTS.md, SOUL.md, IDENTITY.md, USER.md, BOOTSTRAP.md, MEMORY.md), with the reference's answers
// (recorded against OpenClaw 2026.9.6). Only those names, only regular files (src/state/workspace_file.ts: a
// symlink, a hard link or a FIFO is refused as unsafe, never followed). A save may carry the hash the editor
// read; a file changed since is refused with its current hash instead of being overwritten.
import type { AgentsConfig } from "../../agent/agents_config.ts";
import { normalizeAgentIdStrict } from "../../config/agent_roster.ts";
import { sha256Hex, sha256HexOfBytes } from "../../config/config_hash.ts";
import { readWorkspaceFile, workspaceFileInfo, writeWorkspaceFile } from "../../state/workspace_file.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import type { AgentDeletionFence } from "./agent_deletion_fence.ts";
import { configWriteQueue } from "./config_write_queue.ts";
import { workspaceFileGuarded } from "./workspace_file_refusal.ts";

/** What the file methods read: the agents in force, and whether a workspace's first-run setup is done. */
export interface AgentsFilesDeps {
  agents(): AgentsConfig;
  /** True once the reference recorded the workspace's setup complete (BOOTSTRAP.md is then not listed). */
  setupCompleted(workspace: string): Promise<boolean>;
  /** The agents being deleted: no file of theirs is saved meanwhile. */
  fence: AgentDeletionFence;
}

/** The editable files in the reference's prompt order. */
export const WORKSPACE_FILE_NAMES = ["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md", "BOOTSTRAP.md", "MEMORY.md"];

/** The files a list shows: IDENTITY.md is edited through the identity form; BOOTSTRAP.md only before setup ends. */
function listedNames(setupDone: boolean): string[] {
  return WORKSPACE_FILE_NAMES.filter((name) => name !== "IDENTITY.md" && !(setupDone && name === "BOOTSTRAP.md"));
}

/** Files whose absence is normal (optional profile files, and MEMORY.md until memory is written). */
function expectedAbsent(name: string): boolean {
  return name === "SOUL.md" || name === "IDENTITY.md" || name === "USER.md" || name === "MEMORY.md";
}

/** The reference's bound on a workspace document read or written through the Gateway. */
export const MAX_WORKSPACE_FILE_BYTES = 2 * 1024 * 1024;

function notFound(raw: unknown): RpcError {
  return new RpcError("INVALID_REQUEST", `agent "${String(raw)}" not found`);
}

/** The configured agent `raw` names. */
function agentOf(deps: AgentsFilesDeps, raw: string) {
  const id = normalizeAgentIdStrict(raw);
  const agent = id ? deps.agents().agents.find((a) => a.id === id) : undefined;
  if (!agent) throw notFound(raw);
  return agent;
}

/** An answer about one file of the agent's workspace. */
function fileAnswer(agent: { id: string; workspace: string }, file: Record<string, unknown>) {
  return { agentId: agent.id, workspace: agent.workspace, file };
}

function metaOf(info: Deno.FileInfo) {
  return { size: info.size, updatedAtMs: Math.floor(info.mtime?.getTime() ?? 0) };
}

/** `agents.files.list`, `agents.files.get`, `agents.files.set`. */
export function agentsFilesMethods(deps: AgentsFilesDeps): MethodTable {
  // Saves run one at a time: a conflict check and its write are never split by another save.
  const oneAtATime = configWriteQueue();
  const target = (params: { agentId: string; name: string }) => {
    const agent = agentOf(deps, params.agentId);
    const name = params.name.trim();
    if (!WORKSPACE_FILE_NAMES.includes(name)) throw new RpcError("INVALID_REQUEST", `unsupported file "${name}"`);
    return { agent, name, path: `${agent.workspace}/${name}` };
  };
  return {
    "agents.files.list": validated("operator.read", "validateAgentsFilesListParams", async ({ params }) => {
      const agent = agentOf(deps, params.agentId);
      const done = await deps.setupCompleted(agent.workspace).catch(() => false);
      const files = await Promise.all(
        listedNames(done).map(async (name) => {
          const path = `${agent.workspace}/${name}`;
          const info = await workspaceFileInfo(path, name).catch(() => undefined);
          return info
            ? { name, path, missing: false, ...metaOf(info) }
            : { name, path, missing: true, expectedAbsent: expectedAbsent(name) };
        }),
      );
      return { agentId: agent.id, workspace: agent.workspace, files };
    }),
    "agents.files.get": validated("operator.read", "validateAgentsFilesGetParams", async ({ params }) => {
      const { agent, name, path } = target(params);
      const read = await workspaceFileGuarded(() => readWorkspaceFile(path, name, MAX_WORKSPACE_FILE_BYTES));
      if (!read) return fileAnswer(agent, { name, path, missing: true, expectedAbsent: expectedAbsent(name) });
      return fileAnswer(agent, {
        name,
        path,
        missing: false,
        ...metaOf(read.info),
        hash: await sha256HexOfBytes(read.bytes),
        // The BOM kept: the content is what the hash is of, and a save writes it back unchanged.
        content: new TextDecoder("utf-8", { ignoreBOM: true }).decode(read.bytes),
      });
    }),
    "agents.files.set": validated("operator.admin", "validateAgentsFilesSetParams", async ({ params }) => {
      // The hash the editor read: a field newer than the pinned package (protocol_overlay.ts checks its form).
      const p = params as typeof params & { expectedHash?: string };
      const { agent, name, path } = target(params);
      deps.fence.check(agent.id);
      const bytes = new TextEncoder().encode(p.content);
      if (bytes.length > MAX_WORKSPACE_FILE_BYTES) {
        throw new RpcError("INVALID_REQUEST", `agent file "${name}" would be larger than 2 MiB; keep it shorter`);
      }
      const info = await workspaceFileGuarded(() =>
        oneAtATime(async () => {
          if (p.expectedHash) {
            const current = await readWorkspaceFile(path, name, MAX_WORKSPACE_FILE_BYTES);
            const currentHash = current ? await sha256HexOfBytes(current.bytes) : undefined;
            if (currentHash !== p.expectedHash.toLowerCase()) {
              throw new RpcError("INVALID_REQUEST", `agent file "${name}" changed since it was read`, {
                details: { type: "agent_file_conflict", name, ...(currentHash ? { currentHash } : {}) },
              });
            }
          }
          await Deno.mkdir(agent.workspace, { recursive: true });
          // A file keeps its mode; a new one gets the reference's 0644.
          await writeWorkspaceFile(path, name, p.content);
          return await workspaceFileInfo(path, name);
        })
      );
      return {
        ok: true,
        ...fileAnswer(agent, {
          name,
          path,
          missing: false,
          ...(info ? metaOf(info) : { size: bytes.length }),
          hash: await sha256Hex(p.content),
          content: p.content,
        }),
      };
    }),
  };
}
