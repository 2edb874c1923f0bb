// What the `openclaw mcp` registry commands share: the config they read, the refusals they print
// alike, and the write of one changed `mcp.servers` map.
import { ConfigError } from "../../config/errors.ts";
import { json5CommentsWarning } from "../../config/json5_comments.ts";
import { type ConfigSnapshot, loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import type { McpServerSpec } from "../../config/resolve_mcp.ts";
import { writeConfigFile } from "../../config/write.ts";
import type { McpProbeListing } from "../../server/mcp_probe.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson } from "../output.ts";
import { invalidConfigMachineForm, jsonFailure } from "./config_common.ts";
import { invalidBlock } from "./config_write.ts";

/** A refusal already printed in the reference's words; the command exits 1 on it. */
export class McpCommandFailure extends Error {}

/**
 * The config the command works on (the profile's file, as written and as resolved), with an invalid
 * file refused as the reference refuses it before any `mcp` command: its block on stderr (and with
 * `--json` its envelope on stdout).
 */
export async function loadValidMcpConfig(options: GlobalOptions & { json?: boolean }): Promise<ConfigSnapshot> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  try {
    return await loadConfig(paths.configPath, env);
  } catch (error) {
    if (!(error instanceof ConfigError) || error.issues.length === 0) throw error;
    if (options.json) {
      const form = invalidConfigMachineForm(paths.configPath, env, error);
      printError(form.stderr);
      printJson(form.envelope);
    } else printError(invalidBlock(paths.configPath, env, error));
    throw new McpCommandFailure("invalid config");
  }
}

/** Prints a refusal as the reference does: the message on stderr, or its JSON envelope with `--json`. */
export function mcpFail(message: string, json?: boolean): McpCommandFailure {
  if (json) printJson(jsonFailure(message));
  else printError(message);
  return new McpCommandFailure(message);
}

/** The reference's refusal of a server name that is not configured. */
export function mcpNotFound(name: string, path: string, json?: boolean): McpCommandFailure {
  return mcpFail(`No MCP server named "${name}" in ${path}. Run openclaw mcp list to see configured servers.`, json);
}

/** Writes `next` (the whole config as written) over the snapshot's file; comments dropped are said first. */
export async function writeMcpConfig(snapshot: ConfigSnapshot, next: Record<string, unknown>): Promise<void> {
  // As the reference, a write that drops the file's JSON5 comments says so on stderr first.
  const warning = json5CommentsWarning(snapshot.source, snapshot.path);
  if (warning) printError(warning);
  await writeConfigFile(snapshot.path, next, { expectedHash: snapshot.hash });
}

/** Runs a command body: a printed refusal exits 1. */
export async function runMcpCommand(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof McpCommandFailure) return 1;
    throw error;
  }
}

/**
 * Connects to `spec` and lists its tools, printing on stderr what the reference's runtime logs on the
 * way: a failed start, and each tool offered under a provider-safe name.
 */
export async function probeMcpServerLogged(
  spec: McpServerSpec,
): Promise<McpProbeListing> {
  const { listMcpServerTools, mcpToolRenameNotes } = await import("../../server/mcp_probe.ts");
  const listing = await listMcpServerTools(spec);
  if (!listing.ok) {
    printError(`[bundle-mcp] failed to start server "${spec.name}" (${spec.description}): ${listing.error}`);
    return listing;
  }
  for (const note of mcpToolRenameNotes(spec, listing.tools)) printError(`[bundle-mcp] ${note}`);
  return listing;
}
