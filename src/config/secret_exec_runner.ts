// Running an exec secret provider (`secrets.providers.<alias>` with `source: "exec"`) as the reference does:
// the command is checked first (absolute, a regular file and no symlink, inside `trustedDirs` when given, not
// group/world writable, owned by the current user), then run from its own folder with only `passEnv`/`env` in
// its environment, a JSON request `{protocolVersion: 1, provider, ids}` on stdin, a timeout and a bound on what
// it may print. The gateway runs one because the operator configured it; `secrets audit/apply` only with
// `--allow-exec`.
import type { EnvSnapshot } from "./paths.ts";
import { parseExecResponse } from "./secret_exec_response.ts";
import { SecretRefResolutionError } from "./secret_ref_resolver.ts";

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;
const MAX_REQUEST_BYTES = 262_144;

/** Runs one exec provider for `ids`; values by id (an Error value is that id's refusal). */
export type ExecProviderRun = (
  provider: Record<string, unknown>,
  alias: string,
  ids: string[],
) => Promise<Map<string, unknown>>;

/** What a command path's check needs to know about the process running it. */
export interface ExecCommandFacts {
  home: string | undefined;
  uid: number | null;
}

/** `~/x` under `home`; other paths as written. */
function userPath(path: string, home: string | undefined): string {
  return path.startsWith("~/") && home ? `${home}${path.slice(1)}` : path;
}

function isInside(dir: string, path: string): boolean {
  const root = dir.replace(/\/+$/, "");
  return path === root || path.startsWith(`${root}/`);
}

/** The command path after the reference's trust checks, or its refusal naming `label` and the path. */
export async function secureExecCommand(
  provider: Record<string, unknown>,
  label: string,
  facts: ExecCommandFacts,
): Promise<string> {
  const written = typeof provider.command === "string" ? provider.command.trim() : "";
  const command = userPath(written, facts.home);
  if (!command.startsWith("/")) throw new SecretRefResolutionError(`${label} must be an absolute path.`);
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.lstat(command);
  } catch {
    throw new SecretRefResolutionError(`${label} is not readable: ${command}`);
  }
  if (stat.isDirectory) throw new SecretRefResolutionError(`${label} must be a file: ${command}`);
  if (stat.isSymlink) throw new SecretRefResolutionError(`${label} must not be a symlink: ${command}`);
  const trusted = Array.isArray(provider.trustedDirs) ? provider.trustedDirs.map(String) : [];
  if (trusted.length > 0 && !trusted.some((dir) => isInside(userPath(dir, facts.home), command))) {
    throw new SecretRefResolutionError(`${label} is outside trustedDirs: ${command}`);
  }
  if (((stat.mode ?? 0) & 0o022) !== 0) {
    throw new SecretRefResolutionError(`${label} permissions are too open: ${command}`);
  }
  if (facts.uid !== null && stat.uid !== null && stat.uid !== facts.uid) {
    throw new SecretRefResolutionError(`${label} must be owned by the current user (uid=${facts.uid}): ${command}`);
  }
  return command;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** The child's environment: only the names `passEnv` lists (from `env`), then `provider.env`. */
function childEnv(provider: Record<string, unknown>, env: EnvSnapshot): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Array.isArray(provider.passEnv) ? provider.passEnv.map(String) : []) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  const extra = provider.env;
  if (extra && typeof extra === "object" && !Array.isArray(extra)) {
    for (const [name, value] of Object.entries(extra)) out[name] = String(value);
  }
  return out;
}

/** Reads `stream` as text up to `limit` bytes; undefined once it printed more (the caller then kills the child). */
async function readBounded(stream: ReadableStream<Uint8Array>, limit: number): Promise<string | undefined> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(new Uint8Array(chunk));
  }
  return await new Blob(chunks).text();
}

/** An exec provider runner over `env` (the gateway's, read once at the program edge). */
export function execProviderRunner(env: EnvSnapshot): ExecProviderRun {
  return (provider, alias, ids) => runExecProvider(provider, alias, ids, env);
}

async function runExecProvider(
  provider: Record<string, unknown>,
  alias: string,
  ids: string[],
  env: EnvSnapshot,
): Promise<Map<string, unknown>> {
  const uid = Deno.uid();
  const command = await secureExecCommand(provider, `secrets.providers.${alias}.command`, { home: env.HOME, uid });
  const request = new TextEncoder().encode(JSON.stringify({ protocolVersion: 1, provider: alias, ids }));
  if (request.byteLength > MAX_REQUEST_BYTES) {
    throw new SecretRefResolutionError(
      `Exec provider "${alias}" request exceeded maxBatchBytes (${MAX_REQUEST_BYTES}).`,
    );
  }
  const timeoutMs = positive(provider.timeoutMs, DEFAULT_TIMEOUT_MS);
  const maxOutputBytes = positive(provider.maxOutputBytes, DEFAULT_MAX_OUTPUT_BYTES);
  const child = new Deno.Command(command, {
    args: Array.isArray(provider.args) ? provider.args.map(String) : [],
    cwd: command.slice(0, command.lastIndexOf("/")) || "/",
    env: childEnv(provider, env),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
    // Its own process group, so a kill reaches what it started too (a grandchild holding stdout open).
    detached: true,
  }).spawn();
  let timedOut = false;
  const kill = () => {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // already exited
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  try {
    const writer = child.stdin.getWriter();
    // A provider that answers without reading its request closes stdin first (EPIPE): its output decides.
    await writer.write(request).then(() => writer.close()).catch(() => {});
    const stdout = await readBounded(child.stdout, maxOutputBytes);
    if (stdout === undefined) kill();
    const status = await child.status;
    if (timedOut) throw new SecretRefResolutionError(`Exec provider "${alias}" timed out after ${timeoutMs}ms.`);
    if (stdout === undefined) {
      throw new SecretRefResolutionError(`Exec provider output exceeded maxOutputBytes (${maxOutputBytes}).`);
    }
    if (status.code !== 0) {
      throw new SecretRefResolutionError(`Exec provider "${alias}" exited with code ${status.code}.`);
    }
    return parseExecResponse(stdout, { alias, ids, jsonOnly: provider.jsonOnly !== false });
  } finally {
    clearTimeout(timer);
    await child.stdout.cancel().catch(() => {});
  }
}
