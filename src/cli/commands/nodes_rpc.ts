// One gateway connection for an `openclaw nodes` command, and the reference's failure line:
// everything that goes wrong (bad flag, unknown node, refused credentials, no gateway) is
// `nodes <label> failed: <reason>` on stderr with exit 1.
import {
  connectGateway,
  type GatewayConnection,
  GatewayRequestError,
  GatewayTransportError,
} from "../../client/rpc_client.ts";
import { type ResolvedTarget, resolveTarget } from "../../client/target.ts";
import { messageOf } from "../../log/error_text.ts";
import { unreachableLines } from "../gateway_failure.ts";
import { printError, printFailureBlock, printJson } from "../output.ts";
import { type RpcOptions, targetFlags } from "../rpc_options.ts";
import type { NodeRow } from "./nodes_format.ts";
import { resolveNodeQuery } from "./nodes_match.ts";

/** The gateway transport timeout when `--timeout` is not given. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** Operator scopes a nodes command asks for: reading, pairing, and invoking (writing). */
export const NODES_SCOPES = ["operator.read", "operator.pairing", "operator.write"];

/** A connected nodes command: requests under the transport timeout, and node lookup. */
export interface NodesSession {
  call<T = unknown>(method: string, params: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** The `node.list` rows. */
  listNodes(): Promise<NodeRow[]>;
  /** The `node.list` row `--node` names (the reference's matching rules). */
  resolveNode(query: string | undefined): Promise<NodeRow>;
  /** The transport timeout (`--timeout`). */
  timeoutMs: number;
}

/** A whole number as the reference reads one: trimmed, an optional sign, digits, a safe integer. */
function strictInteger(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text) + 0;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `--timeout <ms>`: a positive integer, else the reference's refusal (naming the trimmed value, if any). */
export function transportTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_MS;
  const text = raw.trim();
  const ms = strictInteger(text);
  if (ms === undefined || ms <= 0) {
    const received = text ? ` Received: "${text}".` : "";
    throw new Error(`Invalid --timeout. Use a positive millisecond value, e.g. --timeout 30000.${received}`);
  }
  return ms;
}

/**
 * `--url` without `--token`/`--password`: refused before connecting, in the reference's words
 * (its `***` is the reference's own redaction of the flag it names), since config credentials
 * are never sent to a URL typed by hand.
 */
class UrlWithoutCredentials extends Error {
  constructor(target: ResolvedTarget) {
    super([
      "gateway url override requires explicit credentials",
      "Fix: pass --token or --password *** --url (or gatewayToken in tools).",
      "For the default local or SSH-tunneled Gateway, remove --url to use the configured target.",
      `Config: ${target.configPath}`,
    ].join("\n"));
    this.name = "UrlWithoutCredentials";
  }
}

/** The gateway could not be reached: the reference's lines, naming the target and where it came from. */
class UnreachableGateway extends Error {
  constructor(error: GatewayTransportError, target: ResolvedTarget) {
    const sourceLabel = target.urlSource === "flag" ? "cli --url" : target.urlSource;
    super(unreachableLines(error, target, { sourceLabel, bind: false }).join("\n"));
    this.name = "UnreachableGateway";
  }
}

/** A positive integer option (`--invoke-timeout`), undefined when not given. */
export function positiveInteger(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = strictInteger(raw);
  if (n === undefined || n <= 0) throw new Error(`${flag} must be a positive integer.`);
  return n;
}

/** A non-negative integer option (`--max-age`), undefined when not given. */
export function nonNegativeInteger(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = strictInteger(raw);
  if (n === undefined || n < 0) throw new Error(`${flag} must be a non-negative integer.`);
  return n;
}

function rowsOf(value: unknown): NodeRow[] {
  const nodes = (value as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(nodes)
    ? nodes.filter((n): n is NodeRow => typeof n === "object" && n !== null && typeof n.nodeId === "string")
    : [];
}

function sessionOf(connection: GatewayConnection, timeoutMs: number): NodesSession {
  const call = <T>(method: string, params: Record<string, unknown>, ms = timeoutMs) =>
    connection.request<T>(method, params, ms);
  const listNodes = async () => rowsOf(await call("node.list", {}));
  return {
    call,
    listNodes,
    resolveNode: async (query) => resolveNodeQuery(await listNodes(), query ?? ""),
    timeoutMs,
  };
}

/** How a nodes command runs: its flag checks, and whether its stdout is machine output. */
export interface RunShape {
  /** Flag checks, run before connecting (bad input costs no gateway round trip). */
  check?: () => void;
  /**
   * `invoke`, `approve` and `reject` print JSON only: a failure is the JSON error envelope on
   * stdout and the reference's failure block on stderr, not the `nodes … failed:` line.
   */
  machine?: boolean;
  /** Operator scopes to connect with (default {@link NODES_SCOPES}). */
  scopes?: string[];
  /**
   * How often a refused connect is logged: twice for `status` and `describe`, whose reference
   * retries its diagnostics view with other credentials before giving up; once otherwise.
   */
  refusalEchoes?: number;
}

/** Opens one connection with `scopes`, runs `work` on it, and closes it. */
export async function withSession<T>(
  options: RpcOptions,
  scopes: string[],
  work: (session: NodesSession) => Promise<T>,
  refusalEchoes?: number,
): Promise<T> {
  const timeoutMs = transportTimeout(options.timeout);
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  if (target.urlSource === "flag" && !target.token && !target.password) throw new UrlWithoutCredentials(target);
  let connection: GatewayConnection;
  try {
    connection = await connectGateway(target, { scopes, timeoutMs });
  } catch (error) {
    if (error instanceof GatewayTransportError && error.kind === "unreachable") {
      throw new UnreachableGateway(error, target);
    }
    // The reference logs each refused connect before it reports the failure.
    if (error instanceof GatewayRequestError) {
      for (let i = 0; i < (refusalEchoes ?? 1); i++) {
        printError(`gateway connect failed: GatewayClientRequestError: ${error.message}`);
      }
    }
    throw error;
  }
  try {
    return await work(sessionOf(connection, timeoutMs));
  } finally {
    connection.close();
  }
}

/**
 * Runs one nodes command over one connection; any failure, from a flag check to the gateway's
 * refusal, prints the reference's `nodes <label> failed: …` (with `--json` or for a machine-output
 * command: the JSON envelope and the failure block) and returns 1.
 */
export async function runNodes(
  label: string,
  options: RpcOptions,
  work: (session: NodesSession) => Promise<number>,
  shape: RunShape = {},
): Promise<number> {
  try {
    shape.check?.();
    return await withSession(options, shape.scopes ?? NODES_SCOPES, work, shape.refusalEchoes);
  } catch (error) {
    const message = messageOf(error);
    if (shape.machine || options.json) printJson({ ok: false, error: { type: "cli_error", message } });
    // An unreachable gateway or a bare --url is reported in its own words; with JSON, anything else is the failure block.
    if (error instanceof UnreachableGateway || error instanceof UrlWithoutCredentials) printError(message);
    else if (shape.machine || options.json) printFailureBlock(message);
    else printError(`nodes ${label} failed: ${message}`);
    return 1;
  }
}
