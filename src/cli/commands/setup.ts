import { isJsonObject } from "../../log/json_object.ts";
import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { loadOrCreateStoredToken } from "../../state/stored_token.ts";
import { writeConfigFile } from "../../config/write.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";

async function ensureDir(path: string): Promise<"created" | "ok"> {
  const existed = pathExists(path);
  await Deno.mkdir(path, { recursive: true, mode: 0o700 });
  await Deno.chmod(path, 0o700);
  return existed ? "ok" : "created";
}

/**
 * `openclaw setup`: makes this profile ready to run: state dir (0700), a config with
 * `gateway.mode=local` (0600; an existing file is only touched to add the mode, with a `.bak`),
 * the agent workspace and session dirs, and a stored gateway token when no secret is set.
 * An invalid config is reported, never overwritten.
 */
export async function setup(options: GlobalOptions & { json?: boolean }): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const report: Record<string, unknown> = { stateDir: paths.stateDir, configPath: paths.configPath };
  const lines: string[] = [];
  report.stateDirStatus = await ensureDir(paths.stateDir);

  let snapshot;
  try {
    snapshot = await loadConfig(paths.configPath, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = `${error.message}\nsetup leaves an invalid config alone: fix it, or run openclaw doctor.`;
    if (options.json) printJson({ ok: false, error: message, ...report });
    else printError(message);
    return 1;
  }
  if (!snapshot.exists) {
    await writeConfigFile(paths.configPath, { gateway: { mode: "local" } });
    lines.push(`Created config: ${paths.configPath}`);
    report.config = "created";
  } else if (snapshot.config.gateway?.mode === undefined) {
    const authored = structuredClone(snapshot.authored);
    authored.gateway = { ...(isJsonObject(authored.gateway) ? authored.gateway : {}), mode: "local" };
    await writeConfigFile(paths.configPath, authored, { expectedHash: snapshot.hash });
    lines.push(`Updated config: ${paths.configPath} (set gateway.mode)`, `  Backup: ${paths.configPath}.bak`);
    report.config = "updated";
  } else {
    await Deno.chmod(paths.configPath, 0o600);
    lines.push(`Config OK: ${paths.configPath}`);
    report.config = "ok";
  }

  const configured = snapshot.config.agents?.defaults?.workspace;
  const workspace = typeof configured === "string" ? configured : `${paths.stateDir}/workspace`;
  const sessions = `${paths.stateDir}/agents/main/sessions`;
  lines.push(`Workspace ${await ensureDir(workspace) === "ok" ? "OK" : "created"}: ${workspace}`);
  lines.push(`Sessions ${await ensureDir(sessions) === "ok" ? "OK" : "created"}: ${sessions}`);
  report.workspace = workspace;
  report.sessions = sessions;

  const auth = snapshot.config.gateway?.auth;
  const hasSecret = auth?.token !== undefined || auth?.password !== undefined || env.OPENCLAW_GATEWAY_TOKEN ||
    env.OPENCLAW_GATEWAY_PASSWORD;
  if (!hasSecret) {
    const stored = await loadOrCreateStoredToken(paths.stateDir);
    lines.push(
      `Auth: ${stored.created ? "generated a" : "using the stored"} gateway token in ${stored.path} (mode 0600)`,
    );
    report.tokenPath = stored.path;
  } else {
    lines.push("Auth: configured");
  }
  if (options.json) {
    printJson({ ok: true, ...report });
    return 0;
  }
  for (const line of lines) printLine(line);
  printLine("");
  printLine("Setup complete: config, workspace, and session directories are ready.");
  printLine("Next: openclaw gateway run (foreground) or openclaw gateway install (service).");
  return 0;
}
