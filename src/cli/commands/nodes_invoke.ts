// `openclaw nodes invoke|notify|location get`: one `node.invoke` relayed by the gateway to a
// node, with the reference's flag checks (made before any gateway request) and output. The
// transport timeout stretches past the node's own deadline: max(--timeout, invoke + 10 s).
import { printJson, printLine } from "../output.ts";
import type { RpcOptions } from "../rpc_options.ts";
import { type NodesSession, nonNegativeInteger, positiveInteger, runNodes } from "./nodes_rpc.ts";

/** Commands `nodes invoke` refuses: shell execution goes through the exec tool. */
const SHELL_COMMANDS = new Set(["system.run", "system.run.prepare"]);

/** Options of `nodes invoke`. */
export interface InvokeOptions extends RpcOptions {
  node?: string;
  command?: string;
  params?: string;
  invokeTimeout?: string;
  idempotencyKey?: string;
}

/** The transport deadline for an invoke with the node's own `invokeTimeoutMs`. */
export function invokeTransportMs(transportMs: number, invokeTimeoutMs: number | undefined): number {
  return invokeTimeoutMs === undefined ? transportMs : Math.max(transportMs, invokeTimeoutMs + 10_000);
}

async function invoke(
  session: NodesSession,
  nodeId: string,
  command: string,
  params: unknown,
  invokeTimeoutMs: number | undefined,
  idempotencyKey?: string,
): Promise<Record<string, unknown>> {
  const request: Record<string, unknown> = {
    nodeId,
    command,
    params,
    idempotencyKey: idempotencyKey ?? crypto.randomUUID(),
  };
  if (invokeTimeoutMs !== undefined) request.timeoutMs = invokeTimeoutMs;
  return await session.call("node.invoke", request, invokeTransportMs(session.timeoutMs, invokeTimeoutMs));
}

/** `openclaw nodes invoke --node <id> --command <cmd> [--params <json>]`: the gateway's answer as JSON. */
export function nodesInvoke(options: InvokeOptions): Promise<number> {
  let params: unknown = {};
  let invokeTimeoutMs: number | undefined;
  return runNodes("invoke", options, async (session) => {
    const { nodeId } = await session.resolveNode(options.node);
    printJson(await invoke(session, nodeId, options.command!.trim(), params, invokeTimeoutMs, options.idempotencyKey));
    return 0;
  }, {
    machine: true,
    check: () => {
      const command = options.command?.trim() ?? "";
      if (!options.node?.trim() || !command) throw new Error("--node and --command required");
      if (SHELL_COMMANDS.has(command.toLowerCase())) {
        throw new Error(
          `command "${command}" is reserved for shell execution; use the exec tool with host=node instead`,
        );
      }
      try {
        params = JSON.parse(options.params ?? "{}");
      } catch {
        throw new Error("--params must be valid JSON.");
      }
      invokeTimeoutMs = positiveInteger(options.invokeTimeout, "--invoke-timeout");
      if (options.idempotencyKey === "") throw new Error("--idempotency-key must not be empty.");
    },
  });
}

/** Options of `nodes notify`. */
export interface NotifyOptions extends RpcOptions {
  node?: string;
  title?: string;
  body?: string;
  sound?: string;
  priority?: string;
  delivery?: string;
  invokeTimeout?: string;
}

/** `openclaw nodes notify --node <id> --title … --body …`: a local notification (`system.notify`). */
export function nodesNotify(options: NotifyOptions): Promise<number> {
  const title = options.title?.trim() ?? "";
  const body = options.body?.trim() ?? "";
  let invokeTimeoutMs: number | undefined;
  return runNodes("notify", options, async (session) => {
    const { nodeId } = await session.resolveNode(options.node);
    const params = { title, body, sound: options.sound, priority: options.priority, delivery: options.delivery };
    const result = await invoke(session, nodeId, "system.notify", params, invokeTimeoutMs);
    if (options.json) printJson(result);
    else printLine("notify ok");
    return 0;
  }, {
    check: () => {
      if (!title && !body) throw new Error("missing --title or --body");
      invokeTimeoutMs = positiveInteger(options.invokeTimeout, "--invoke-timeout");
    },
  });
}

/** Options of `nodes location get`. */
export interface LocationOptions extends RpcOptions {
  node?: string;
  maxAge?: string;
  accuracy?: string;
  locationTimeout?: string;
  invokeTimeout?: string;
}

const ACCURACIES = new Set(["coarse", "balanced", "precise"]);

/** `openclaw nodes location get --node <id>`: `lat,lon ±accm`, or the payload as JSON. */
export function nodesLocationGet(options: LocationOptions): Promise<number> {
  const accuracy = options.accuracy?.trim().toLowerCase();
  const params: Record<string, unknown> = {};
  let invokeTimeoutMs: number | undefined;
  return runNodes("location get", options, async (session) => {
    const { nodeId } = await session.resolveNode(options.node);
    const result = await invoke(session, nodeId, "location.get", params, invokeTimeoutMs);
    const payload = result.payload && typeof result.payload === "object"
      ? result.payload as Record<string, unknown>
      : {};
    const { lat, lon, accuracyMeters } = payload;
    if (options.json) printJson(payload);
    else if (typeof lat === "number" && typeof lon === "number") {
      printLine(`${lat},${lon}${typeof accuracyMeters === "number" ? ` ±${accuracyMeters.toFixed(1)}m` : ""}`);
    } else printLine(JSON.stringify(payload));
    return 0;
  }, {
    check: () => {
      if (options.accuracy !== undefined && !ACCURACIES.has(accuracy ?? "")) {
        throw new Error("invalid --accuracy (use coarse|balanced|precise)");
      }
      params.maxAgeMs = nonNegativeInteger(options.maxAge, "--max-age");
      params.desiredAccuracy = accuracy;
      params.timeoutMs = positiveInteger(options.locationTimeout, "--location-timeout");
      invokeTimeoutMs = positiveInteger(options.invokeTimeout, "--invoke-timeout");
    },
  });
}
