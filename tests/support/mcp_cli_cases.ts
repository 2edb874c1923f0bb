// The `openclaw mcp` registry commands (all but `serve`) recorded from the reference CLI
// (tools/record_reference_mcp_cli.ts) and replayed against ours (tests/integration/mcp_cli_registry_test.ts),
// each on a fresh copy of one of the configs below. Paths that differ between machines are written
// as placeholders in the recording ({@link normalizeMcpCliText}).
import { REPO_ROOT } from "./spawn_gateway.ts";

/** Where the recordings live. */
export const MCP_CLI_FIXTURE = new URL("../fixtures/mcp_cli/recordings.json", import.meta.url).pathname;

/** The config a case starts from. */
export type McpCliConfigName = "servers" | "empty" | "invalid";

/** One recorded command. */
export interface McpCliCase {
  name: string;
  args: string[];
  config: McpCliConfigName;
}

/** What the reference printed for one command, and the config file after it (parsed, normalized). */
export interface McpCliOutcome {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  /** The config after the command; absent when the command left the file byte for byte alone. */
  after?: unknown;
}

/** The fixture file. */
export interface McpCliRecording {
  reference?: string;
  cases: Record<string, McpCliOutcome>;
}

/** The machine-specific paths a recording names by placeholder. */
export interface McpCliPlaces {
  /** The temp home of the run (its config is `<home>/state/openclaw.json`). */
  home: string;
  /** The Deno binary the test MCP server runs on. */
  deno: string;
  /** The cache dir the test MCP server's Deno finds its modules under (`XDG_CACHE_HOME`). */
  cache: string;
}

/** Where the Deno running this finds its module cache, as `XDG_CACHE_HOME` (HOME differs in a test home). */
export function denoCacheHome(env: Record<string, string | undefined>): string {
  const denoDir = env.DENO_DIR;
  if (denoDir?.endsWith("/deno")) return denoDir.slice(0, -"/deno".length);
  return env.XDG_CACHE_HOME ?? `${env.HOME}/.cache`;
}

/** `text` with the run's paths replaced by `$HOME`, `$REPO`, `$DENO` and `$CACHE`. */
export function normalizeMcpCliText(text: string, places: McpCliPlaces): string {
  return text.replaceAll(places.home, "$HOME").replaceAll(REPO_ROOT, "$REPO").replaceAll(places.deno, "$DENO")
    .replaceAll(places.cache, "$CACHE");
}

/** The config text a case starts from. */
export function mcpCliConfig(config: McpCliConfigName, places: McpCliPlaces): string {
  if (config === "invalid") return JSON.stringify({ mcp: { servers: { bad: { command: 42 } } } }, null, 2);
  if (config === "empty") return JSON.stringify({ gateway: { mode: "local" } }, null, 2);
  const servers = {
    // A real stdio MCP server (tests/support/mcp_test_server.ts): five tools, none annotated.
    good: {
      command: places.deno,
      args: [
        "run",
        "--quiet",
        `--config=${REPO_ROOT}/deno.json`,
        "--allow-all",
        `${REPO_ROOT}/tests/support/mcp_test_server.ts`,
      ],
      env: { XDG_CACHE_HOME: places.cache },
    },
    missing: { command: "/nonexistent/mcp-server" },
    unresolved: { command: "no-such-mcp-command-on-path" },
    badcwd: { command: "sh", args: ["-c", "true"], cwd: "/nonexistent/mcp-dir" },
    off: { command: "/nonexistent/mcp-off", enabled: false },
    bare: { enabled: false },
    creds: {
      command: "sh",
      env: { API_TOKEN: "literal-secret", SAFE_TOKEN: "$SAFE_TOKEN", PLAIN: "not-a-secret" },
      toolFilter: { include: ["keep"] },
    },
    emptyfilter: { command: "sh", toolFilter: {} },
    web: {
      url: "http://127.0.0.1:9/mcp",
      transport: "streamable-http",
      headers: { Authorization: "Bearer literal-token", "X-Trace": "1" },
      requestTimeoutMs: 20000,
      connectionTimeoutMs: 5000,
      supportsParallelToolCalls: true,
    },
    tls: {
      url: "https://127.0.0.1:9/mcp",
      sslVerify: false,
      clientCert: "/nonexistent/client.crt",
      clientKey: "/nonexistent/client.key",
    },
    oauthy: {
      url: "https://127.0.0.1:9/mcp",
      transport: "streamable-http",
      auth: "oauth",
      oauth: { scope: "docs.read" },
      headers: { authorization: "$DOCS_TOKEN" },
      codex: { defaultToolsApprovalMode: "prompt" },
    },
  };
  return JSON.stringify({ gateway: { mode: "local" }, mcp: { servers } }, null, 2);
}

const c = (name: string, ...args: string[]): McpCliCase => ({ name, args: ["mcp", ...args], config: "servers" });

/** Every recorded command. */
export const MCP_CLI_CASES: McpCliCase[] = [
  c("doctor", "doctor"),
  c("doctor-json", "doctor", "--json"),
  c("doctor-good", "doctor", "good"),
  c("doctor-good-json", "doctor", "good", "--json"),
  c("doctor-creds", "doctor", "creds"),
  c("doctor-off-json", "doctor", "off", "--json"),
  c("doctor-oauthy", "doctor", "oauthy"),
  c("doctor-missing", "doctor", "missing"),
  c("doctor-unknown", "doctor", "nope"),
  c("doctor-unknown-json", "doctor", "nope", "--json"),
  c("doctor-good-probe", "doctor", "good", "--probe"),
  c("doctor-good-probe-json", "doctor", "good", "--probe", "--json"),
  c("doctor-web-probe", "doctor", "web", "--probe"),
  c("doctor-missing-probe", "doctor", "missing", "--probe"),
  { name: "doctor-empty", args: ["mcp", "doctor"], config: "empty" },
  { name: "doctor-empty-json", args: ["mcp", "doctor", "--json"], config: "empty" },
  { name: "doctor-invalid", args: ["mcp", "doctor"], config: "invalid" },
  { name: "doctor-invalid-json", args: ["mcp", "doctor", "--json"], config: "invalid" },
  c("tools-include", "tools", "good", "--include", "b, a,a,*_read"),
  c("tools-exclude-merge", "tools", "creds", "--exclude", "drop,admin_*"),
  c("tools-both", "tools", "good", "--include", "x", "--exclude", "y"),
  c("tools-clear", "tools", "creds", "--clear"),
  c("tools-clear-and-include", "tools", "creds", "--clear", "--include", "x"),
  c("tools-empty-list", "tools", "creds", "--include", " , "),
  c("tools-none", "tools", "good"),
  c("tools-unknown", "tools", "nope", "--include", "x"),
  c("configure-enable", "configure", "off", "--enable"),
  c("configure-enable-bare", "configure", "bare", "--enable"),
  c("configure-disable", "configure", "good", "--disable"),
  c("configure-enable-disable", "configure", "good", "--enable", "--disable"),
  c("configure-filters", "configure", "creds", "--include", "b,a", "--exclude", "z"),
  c("configure-clear-tools", "configure", "creds", "--clear-tools", "--include", "x"),
  c("configure-timeouts", "configure", "good", "--timeout", "20", "--connect-timeout", "5.5"),
  c("configure-clear-timeouts", "configure", "web", "--clear-timeouts"),
  c("configure-timeout-zero", "configure", "good", "--timeout", "0"),
  c("configure-timeout-bad", "configure", "good", "--connect-timeout", "soon"),
  c("configure-parallel", "configure", "good", "--parallel"),
  c("configure-no-parallel", "configure", "web", "--no-parallel"),
  c("configure-approval", "configure", "good", "--approval", "APPROVE"),
  c("configure-approval-merge", "configure", "oauthy", "--approval", "auto"),
  c("configure-approval-bad", "configure", "good", "--approval", "always"),
  c(
    "configure-oauth",
    "configure",
    "web",
    "--auth",
    "OAuth",
    "--oauth-scope",
    " docs.read ",
    "--oauth-redirect-url",
    "http://127.0.0.1:1455/callback",
    "--oauth-client-metadata-url",
    "https://example.com/client.json",
  ),
  c("configure-oauth-merge", "configure", "oauthy", "--oauth-redirect-url", "http://127.0.0.1:1455/cb"),
  c("configure-auth-bad", "configure", "web", "--auth", "basic"),
  c("configure-clear-auth", "configure", "oauthy", "--clear-auth"),
  c(
    "configure-tls",
    "configure",
    "web",
    "--ssl-verify",
    "FALSE",
    "--client-cert",
    "certs/c.pem",
    "--client-key",
    "/k.pem",
  ),
  c("configure-tls-bad", "configure", "web", "--ssl-verify", "maybe"),
  c("configure-clear-tls", "configure", "tls", "--clear-tls"),
  c("configure-nothing", "configure", "badcwd"),
  c("configure-unknown", "configure", "nope", "--enable"),
  c("configure-unknown-flag", "configure", "good", "--bogus"),
  c("configure-probe", "configure", "good", "--probe", "--timeout", "30"),
  c("configure-probe-fails", "configure", "missing", "--probe", "--parallel"),
  c("configure-probe-disabled", "configure", "off", "--probe", "--parallel"),
  c("reload", "reload"),
  c("reload-extra", "reload", "now"),
  c("add-both", "add", "x", "--command", "sh", "--url", "http://127.0.0.1:9/mcp"),
  c("add-neither", "add", "x"),
  c("add-timeout-bad", "add", "x", "--command", "sh", "--timeout", "soon", "--no-probe"),
  c("add-env-no-equals", "add", "x", "--command", "sh", "--env", "TOKEN", "--no-probe"),
  c("add-env-blank-key", "add", "x", "--command", "sh", "--env", " =v", "--no-probe"),
  c("add-header-no-equals", "add", "x", "--url", "http://127.0.0.1:9/mcp", "--header", "Authorization", "--no-probe"),
  c("add-header-blank-key", "add", "x", "--url", "http://127.0.0.1:9/mcp", "--header", "  =1", "--no-probe"),
  c("add-existing", "add", "good", "--command", "sh", "--no-probe"),
  c(
    "add-stdio",
    "add",
    "x",
    "--command",
    " sh ",
    "--arg",
    "-c",
    "--arg",
    "true",
    "--env",
    "A=1=2",
    "--cwd",
    "/tmp",
    "--include",
    "a, b",
    "--exclude",
    "c",
    "--timeout",
    "2.5",
    "--connect-timeout",
    "3",
    "--parallel",
    "--approval",
    "Prompt",
    "--no-probe",
  ),
  c("add-oauth", "add", "x", "--url", "https://127.0.0.1:9/mcp", "--auth", "oauth", "--oauth-scope", " s "),
  c(
    "add-http-disabled",
    "add",
    "x",
    "--url",
    "https://127.0.0.1:9/mcp",
    "--transport",
    "sse",
    "--header",
    "X-Trace=1",
    "--ssl-verify",
    "TRUE",
    "--client-cert",
    "/c.pem",
    "--client-key",
    "/k.pem",
    "--disabled",
  ),
  c("status", "status"),
  c("status-verbose", "status", "--verbose"),
  c("status-json", "status", "--json"),
  c("status-verbose-json", "status", "--verbose", "--json"),
  { name: "status-empty", args: ["mcp", "status"], config: "empty" },
  c("probe-good", "probe", "good"),
  c("probe-good-json", "probe", "good", "--json"),
  c("probe-missing-json", "probe", "missing", "--json"),
  c("probe-off", "probe", "off"),
  c("probe-off-json", "probe", "off", "--json"),
  c("login-not-oauth", "login", "good"),
  c("logout-stdio", "logout", "good"),
  c("logout-http", "logout", "web"),
  { name: "probe-empty", args: ["mcp", "probe"], config: "empty" },
  ...invalidConfigCases(),
  c("help-flag", "--help"),
  c("help-command", "help"),
];

/** Every `mcp` subcommand that reads the config, on the invalid one. */
function invalidConfigCases(): McpCliCase[] {
  const commands: string[][] = [
    ["list"],
    ["list", "--json"],
    ["show"],
    ["status"],
    ["probe", "--json"],
    ["add", "x", "--command", "sh", "--no-probe"],
    ["set", "x", '{"command":"sh"}'],
    ["unset", "bad"],
    // A flag refusal of `tools` and `configure` comes after the config's.
    ["tools", "bad"],
    ["configure", "bad", "--enable", "--disable"],
    ["login", "bad"],
    ["reload"],
  ];
  return commands.map((args) => ({
    name: `invalid-${args[0]}${args.includes("--json") ? "-json" : ""}`,
    args: ["mcp", ...args],
    config: "invalid",
  }));
}
