// `openclaw config file|get|validate|schema`: the read-only config commands, printing what the
// reference prints (recorded against OpenClaw 2026.9.6; docs/cli.md). Secrets never print: `get`
// reads the redacted snapshot.
import { getAtPath, isSchemaPath, parseConfigPath, type PathToken } from "../../config/config_path.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, loadConfig } from "../../config/load.ts";
import { redactConfig } from "../../config/redact.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { configTarget, issueEntries, issueLines, jsonFailure, shortHome } from "./config_common.ts";

/** `openclaw config file [--json]`: the active config path. */
export function configFile(options: GlobalOptions & { json?: boolean }): number {
  const { path } = configTarget(options);
  if (options.json) printJson({ path });
  else printLine(path);
  return 0;
}

function fail(message: string, json: boolean | undefined): number {
  if (json) printJson(jsonFailure(message));
  else printError(message);
  return 1;
}

/** The JSON Schema `config get` and `config schema` read (zod loaded only when asked). */
async function jsonSchema(): Promise<Record<string, unknown>> {
  return (await import("../../config/json_schema.ts")).configJsonSchema();
}

/** The root accepts unknown keys (so start-up can name them); a path must start at a known one. */
function knownPath(schema: Record<string, unknown>, path: readonly PathToken[]): boolean {
  const root = schema.properties;
  const first = path[0];
  if (first === undefined || root === null || typeof root !== "object" || !Object.hasOwn(root, String(first))) {
    return false;
  }
  return isSchemaPath(schema, path);
}

async function loadValid(
  path: string,
  env: EnvSnapshot,
  json: boolean | undefined,
): Promise<ConfigSnapshot | number> {
  try {
    return await loadConfig(path, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (error.issues.length === 0) return fail(error.message, json);
    const headline = `OpenClaw config is invalid: ${shortHome(path, env)}`;
    if (json) {
      printJson({ ...jsonFailure(headline), issues: issueEntries(error.issues) });
      return 1;
    }
    printError(headline);
    for (const line of issueLines(error, path, "-")) printError(line);
    printError("Run `openclaw doctor --fix` to repair, then retry.");
    return 1;
  }
}

/** `openclaw config get <path> [--json]`: one value of the redacted config. */
export async function configGet(rawPath: string, options: GlobalOptions & { json?: boolean }): Promise<number> {
  let path: PathToken[];
  try {
    path = parseConfigPath(rawPath);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return fail(error.message, options.json);
  }
  const { env, path: file } = configTarget(options);
  const snapshot = await loadValid(file, env, options.json);
  if (typeof snapshot === "number") return snapshot;
  // As the reference shows it: a URL that carries a credential (`https://user:pass@…` as a baseUrl)
  // hidden whole, and a secret's SecretRef with its id hidden.
  const found = getAtPath(redactConfig(snapshot.config), path);
  if (!found.found || found.value === undefined) {
    const quoted = /^[A-Za-z0-9_./:@-]+$/.test(rawPath) ? rawPath : `'${rawPath.replaceAll("'", `'\\''`)}'`;
    const message = knownPath(await jsonSchema(), path)
      ? `Config path is valid but unset: ${rawPath}. The runtime default applies until you set an authored value with openclaw config set ${quoted} <value>.`
      : `Unknown config path: ${rawPath}. Run openclaw config schema to inspect valid paths.`;
    return fail(message, options.json);
  }
  const value = found.value;
  if (!options.json && (typeof value === "string" || typeof value === "number" || typeof value === "boolean")) {
    printLine(String(value));
  } else printJson(value);
  return 0;
}

/** `openclaw config validate [--json]`: the file checked against the schema, without a gateway. */
export async function configValidate(options: GlobalOptions & { json?: boolean }): Promise<number> {
  const { env, path } = configTarget(options);
  const short = shortHome(path, env);
  let snapshot: ConfigSnapshot;
  try {
    snapshot = await loadConfig(path, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const headline = `OpenClaw config is invalid: ${short}`;
    const report = error.issues.length > 0 ? error : { issues: [{ path: "", message: error.message }] };
    if (options.json) {
      printJson({ ...jsonFailure(headline), valid: false, path, issues: issueEntries(report.issues) });
      return 1;
    }
    printError(headline);
    for (const line of issueLines(report, path, "×")) printError(`  ${line}`);
    printError("");
    printError("Run `openclaw doctor --fix` to repair, or fix the keys above manually.");
    printError("Inspect with openclaw config validate.");
    return 1;
  }
  if (!snapshot.exists) {
    if (options.json) {
      // The reference prints these two results on one line.
      printLine(JSON.stringify({ ...jsonFailure("file not found"), valid: false, path }));
    } else {
      printError(`Config file not found: ${short}`);
      printError("Create one with openclaw onboard or run openclaw doctor --fix.");
    }
    return 1;
  }
  if (options.json) printLine(JSON.stringify({ valid: true, path, warnings: [] }));
  else printLine(`Config valid: ${short}`);
  return 0;
}

/** `openclaw config schema [--json]`: the config's JSON Schema, with a root `$schema` for editors. */
export async function configSchema(_options: GlobalOptions & { json?: boolean }): Promise<number> {
  const schema = await jsonSchema();
  const properties = schema.properties !== null && typeof schema.properties === "object" ? schema.properties : {};
  printJson({ ...schema, properties: { $schema: { type: "string" }, ...properties } });
  return 0;
}
