// Running an exec secret provider for `--allow-exec` (audit, apply): the reference's protocol, a JSON
// request `{protocolVersion: 1, provider, ids}` on stdin and `{protocolVersion: 1, values: {id: value}}`
// on stdout (a provider with `jsonOnly: false` may print one bare value for a single id). Only the
// operator's flag lets these commands run a program.
import { isJsonObject } from "../../log/json_object.ts";
import { SecretRefResolutionError } from "../../config/secret_ref_resolver.ts";

const DEFAULT_TIMEOUT_MS = 5_000;

/** Runs `provider.command` for `ids` and returns the values it printed, by id. */
export async function runExecProvider(
  provider: Record<string, unknown>,
  alias: string,
  ids: string[],
): Promise<Map<string, unknown>> {
  const command = typeof provider.command === "string" ? provider.command : "";
  if (!command.startsWith("/")) {
    throw new SecretRefResolutionError(`Exec provider "${alias}" command must be an absolute path.`);
  }
  const args = Array.isArray(provider.args) ? provider.args.map(String) : [];
  const timeoutMs = typeof provider.timeoutMs === "number" && provider.timeoutMs > 0
    ? provider.timeoutMs
    : DEFAULT_TIMEOUT_MS;
  const env: Record<string, string> = isJsonObject(provider.env)
    ? Object.fromEntries(Object.entries(provider.env).map(([k, v]) => [k, String(v)]))
    : {};
  for (const name of Array.isArray(provider.passEnv) ? provider.passEnv.map(String) : []) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const child = new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  })
    .spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  }, timeoutMs);
  try {
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(JSON.stringify({ protocolVersion: 1, provider: alias, ids })));
      await writer.close();
    } catch {
      // A provider that answers without reading its request closes stdin first (EPIPE): its output decides.
    }
    const output = await child.output();
    if (output.code !== 0) {
      throw new SecretRefResolutionError(`Exec provider "${alias}" exited with code ${output.code}.`);
    }
    const text = new TextDecoder().decode(output.stdout);
    return parseExecOutput(text, alias, ids, provider.jsonOnly !== false);
  } finally {
    clearTimeout(timer);
  }
}

function parseExecOutput(text: string, alias: string, ids: string[], jsonOnly: boolean): Map<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (!jsonOnly && ids.length === 1) return new Map([[ids[0]!, text.trim()]]);
    throw new SecretRefResolutionError(`Exec provider "${alias}" returned invalid JSON.`);
  }
  if (!isJsonObject(parsed) || !isJsonObject(parsed.values)) {
    throw new SecretRefResolutionError(`Exec provider "${alias}" response is missing "values".`);
  }
  return new Map(Object.entries(parsed.values));
}
