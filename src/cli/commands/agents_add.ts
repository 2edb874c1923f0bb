// `openclaw agents add [name]`, non-interactively as the reference runs it (recorded against
// OpenClaw 2026.9.6): validates the id, seeds the workspace, creates the sessions dir, then writes
// the agent's entry (and its `--bind` bindings) through `config set`'s writer. Without automation
// flags the wizard asks for the name and workspace on a TTY, and fails with the reference's words
// without one.
import { applyBindings, conflictLines, describeBinding, parseBindingSpecs } from "../../config/agent_bindings.ts";
import {
  agentDir,
  agentSessionsDir,
  agentWorkspace,
  findEntry,
  normalizeAgentIdStrict,
  RESERVED_AGENT_IDS,
  resolveUserPath,
  withAgentEntry,
} from "../../config/agent_roster.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { prepareAgentWorkspace } from "../../state/agent_workspace.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { AgentsFailure, commitAgents, loadAgentsContext, runAgents, shown } from "./agents_common.ts";
import { configReadOnly, readOnlyMessage } from "./config_common.ts";
import { CommandFailure } from "./config_write.ts";
import { recordOperatorProvenance } from "../../state/agent_provenance.ts";
import { checkStateWritable } from "../../state/state_db_existing.ts";
import { cliWriteAccess } from "./state_write_access.ts";

/** Flags of `agents add`. */
export interface AgentsAddFlags {
  workspace?: string;
  role?: string;
  model?: string;
  agentDir?: string;
  bind?: string[];
  nonInteractive?: boolean;
  json?: boolean;
}

/** The roles the reference bundles (`--role`); their templates are not served here. */
const ROLES = ["coordinator", "researcher", "writer", "reviewer"];

/** Questions on the wizard's stream (stderr with `--json`, so stdout keeps only the summary), answers from stdin. */
function questioner(json: boolean) {
  const out = json ? Deno.stderr : Deno.stdout;
  const encoder = new TextEncoder();
  const write = (text: string) => out.writeSync(encoder.encode(text));
  return {
    note: (text: string) => write(`${text}\n`),
    line(question: string, initial?: string): string | undefined {
      write(`${question}${initial ? ` (${initial})` : ""}: `);
      const buffer = new Uint8Array(4096);
      const read = Deno.stdin.readSync(buffer);
      if (read === null) return undefined;
      return new TextDecoder().decode(buffer.subarray(0, read)).split("\n")[0];
    },
  };
}

function isTty(json: boolean | undefined): boolean {
  return Deno.stdin.isTerminal() && (json ? Deno.stderr.isTerminal() : Deno.stdout.isTerminal());
}

/** The agent id a name stands for, or the reference's refusal. */
export function agentIdFromName(name: string): string {
  const id = normalizeAgentIdStrict(name);
  if (!id) {
    throw new AgentsFailure(`Agent name "${name}" has no valid id characters. Use at least one letter a-z or digit.`);
  }
  if (RESERVED_AGENT_IDS.has(id)) {
    throw new AgentsFailure(
      `"${id}" is reserved. Choose another name, or run openclaw agents list to inspect configured agents.`,
    );
  }
  return id;
}

/** `openclaw agents add [name]`. `automation` is true when a flag that selects the non-interactive path was given. */
export async function agentsAdd(
  name: string | undefined,
  options: GlobalOptions & AgentsAddFlags,
  automation: boolean,
): Promise<number> {
  return await runAgents(options.json, async () => {
    if (options.role !== undefined) {
      const role = options.role;
      throw new AgentsFailure(
        ROLES.includes(role)
          ? "Role templates are not served by this gateway yet; create the agent without --role."
          : `Unknown agent role "${role}". Available roles: ${ROLES.join(", ")}.`,
      );
    }
    const guided = !options.nonInteractive && !automation;
    if (guided && !isTty(options.json)) {
      throw new AgentsFailure(
        "Agent creation needs an interactive TTY. Use `openclaw agents add <id> --non-interactive --workspace <dir>` for automation.",
      );
    }
    const context = await loadAgentsContext(options);
    let workspaceFlag = options.workspace?.trim();
    let nameInput = name?.trim();
    if (guided) {
      // The reference's wizard, its first two questions (no auth copy, no channel setup here).
      const ask = questioner(options.json === true);
      ask.note("Add OpenClaw agent");
      while (!nameInput) {
        const answer = ask.line("Agent name");
        if (answer === undefined) throw new AgentsFailure("Cancelled.");
        nameInput = answer.trim();
      }
      const suggested = agentWorkspace(context.tree, agentIdFromName(nameInput), context.paths);
      workspaceFlag = ask.line("Workspace directory", suggested)?.trim() || suggested;
    }
    if (!workspaceFlag) {
      throw new AgentsFailure(
        "Non-interactive agent creation requires --workspace. Re-run openclaw agents add <id> --workspace <path> or omit flags to use the wizard.",
      );
    }
    if (!nameInput) {
      throw new AgentsFailure(
        "Agent name is required in non-interactive mode. Run openclaw agents add <id> --workspace <path>.",
      );
    }
    const agentId = agentIdFromName(nameInput);
    if (!options.json && agentId !== nameInput) printLine(`Normalized agent id to "${agentId}".`);
    if (findEntry(context.tree, agentId)) throw new AgentsFailure(`Agent "${agentId}" already exists.`);
    const safeName = nameInput.replace(/\s+/g, " ").trim();
    const model = options.model?.trim() || undefined;
    const workspace = resolveUserPath(workspaceFlag, context.paths.home, context.cwd);
    const stateDir = options.agentDir?.trim()
      ? resolveUserPath(options.agentDir, context.paths.home, context.cwd)
      : agentDir(context.tree, agentId, context.paths);
    let tree = withAgentEntry(context.tree, agentId, {
      name: safeName,
      workspace,
      agentDir: stateDir,
      model,
      identity: { name: safeName },
    }, context.paths);
    const parsed = parseBindingSpecs(tree, agentId, options.bind ?? []);
    if (parsed.errors.length > 0) throw new AgentsFailure(parsed.errors.join("\n"));
    const bound = applyBindings(tree, parsed.bindings);
    tree = bound.tree;
    const defaults = isJsonObject(context.tree.agents) && isJsonObject(context.tree.agents.defaults)
      ? context.tree.agents.defaults
      : {};
    // A write the config will refuse leaves nothing on disk, as the reference's (no workspace, no sessions dir).
    if (configReadOnly(context.env)) throw new CommandFailure(readOnlyMessage(context.path, context.env));
    // The provenance row goes to the shared state database: a database another manager owns refuses the
    // command before anything is written, as the reference's does.
    const access = cliWriteAccess();
    checkStateWritable(context.paths.stateDir, access);
    await prepareAgentWorkspace(workspace, {
      skipBootstrap: defaults.skipBootstrap === true,
      identity: { name: safeName },
    });
    // The state dir, when this makes it, is private (0700) as the reference makes it; the rest 0755.
    await Deno.mkdir(context.paths.stateDir, { recursive: true, mode: 0o700 });
    await Deno.mkdir(agentSessionsDir(agentId, context.paths), { recursive: true });
    await commitAgents(context, tree, options.json === true);
    recordOperatorProvenance(context.paths.stateDir, agentId, { access });
    if (options.json) {
      printJson({
        agentId,
        name: safeName,
        workspace: agentWorkspace(tree, agentId, context.paths),
        agentDir: stateDir,
        ...(model ? { model } : {}),
        bindings: {
          added: bound.added.map(describeBinding),
          updated: bound.updated.map(describeBinding),
          skipped: bound.skipped.map(describeBinding),
          conflicts: conflictLines(bound.conflicts),
        },
      });
      return 0;
    }
    printLine(`Agent: ${agentId}`);
    printLine(`Workspace: ${shown(context, workspace)}`);
    printLine(`Agent dir: ${shown(context, stateDir)}`);
    if (model) printLine(`Model: ${model}`);
    if (bound.conflicts.length > 0) {
      printError(
        [
          "Skipped bindings already claimed by another agent:",
          ...conflictLines(bound.conflicts).map((line) => `- ${line}`),
        ].join("\n"),
      );
    }
    return 0;
  });
}
