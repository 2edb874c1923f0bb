// `openclaw nodes pending|approve|reject|remove|rename`: a node's command surface waits for an
// operator (`node.pair.*`), in the reference's words; approve and reject print JSON only.
import { GatewayRequestError } from "../../client/rpc_client.ts";
import { printJson, printLine } from "../output.ts";
import type { RpcOptions } from "../rpc_options.ts";
import { renderTable, tableWidth } from "../table.ts";
import { ageOf, connectionReminder, sanitizeTerminalText } from "./nodes_format.ts";
import { runNodes, withSession } from "./nodes_rpc.ts";

/** A pending surface request as `node.pair.list` lists it. */
export interface PendingRequest {
  requestId: string;
  nodeId: string;
  displayName?: string;
  remoteIp?: string;
  commands?: string[];
  requiredApproveScopes?: string[];
  ts?: number;
  [key: string]: unknown;
}

/** The pending requests of a `node.pair.list` answer (rows without ids dropped, as the reference). */
export function pendingOf(value: unknown): PendingRequest[] {
  const pending = (value as { pending?: unknown } | null)?.pending;
  if (!Array.isArray(pending)) return [];
  return pending.filter((row): row is PendingRequest =>
    typeof row === "object" && row !== null && typeof row.requestId === "string" && typeof row.nodeId === "string"
  );
}

/** The `Pending` heading and table (request, node, IP, requested age). */
export function pendingTable(pending: PendingRequest[], now: number): string[] {
  const rows = pending.map((r) => ({
    Request: sanitizeTerminalText(r.requestId),
    Node: sanitizeTerminalText(r.displayName?.trim() ? r.displayName.trim() : r.nodeId),
    IP: sanitizeTerminalText(r.remoteIp ?? ""),
    Requested: ageOf(now, r.ts) ?? "unknown",
  }));
  return [
    "Pending",
    renderTable({
      width: tableWidth(),
      columns: [
        { key: "Request", header: "Request", minWidth: 8 },
        { key: "Node", header: "Node", minWidth: 14, flex: true },
        { key: "IP", header: "IP", minWidth: 10 },
        { key: "Requested", header: "Requested", minWidth: 12 },
      ],
      rows,
    }).trimEnd(),
  ];
}

/** `openclaw nodes pending`: the surface requests waiting for approval. */
export function nodesPending(options: RpcOptions): Promise<number> {
  return runNodes("pending", options, async (session) => {
    const pending = pendingOf(await session.call("node.pair.list", {}));
    if (options.json) printJson(pending);
    else if (pending.length === 0) printLine("No pending pairing requests.");
    else for (const line of pendingTable(pending, Date.now())) printLine(line);
    return 0;
  });
}

/** The reference's words for a request id the gateway does not know, with what it does know. */
export function unknownRequestMessage(requestId: string, options: RpcOptions, pendingIds?: string[]): string {
  const lines = [`Unknown node pairing requestId: ${requestId}`];
  if (pendingIds) {
    lines.push(
      pendingIds.length > 0
        ? `Pending requestIds: ${pendingIds.join(", ")}`
        : "No pending node pairing requests are currently visible.",
    );
  }
  lines.push("Run openclaw nodes pending to inspect current requests.");
  const reminder = connectionReminder(options);
  if (reminder) lines.push(reminder);
  return lines.join("\n");
}

const APPROVE_SCOPES = new Set(["operator.pairing", "operator.write", "operator.admin"]);

function isUnknownRequest(error: unknown): boolean {
  return error instanceof GatewayRequestError && error.code === "INVALID_REQUEST" &&
    error.message === "unknown requestId";
}

/**
 * `openclaw nodes approve <requestId>`: finds the request first (with the pairing scope only),
 * then approves over a connection holding just the scopes the request's commands need.
 */
export function nodesApprove(requestId: string, options: RpcOptions): Promise<number> {
  return runNodes("approve", options, async (session) => {
    const pending = pendingOf(await session.call("node.pair.list", {}));
    const request = pending.find((r) => r.requestId === requestId);
    if (!request) throw new Error(unknownRequestMessage(requestId, options, pending.map((r) => r.requestId)));
    const scopes = new Set(["operator.pairing"]);
    for (const scope of request.requiredApproveScopes ?? []) if (APPROVE_SCOPES.has(scope)) scopes.add(scope);
    const result = await withSession(
      options,
      [...scopes],
      (approver) =>
        approver.call("node.pair.approve", { requestId }).catch((error) => {
          if (isUnknownRequest(error)) throw new Error(unknownRequestMessage(requestId, options));
          throw error;
        }),
    );
    printJson(result);
    return 0;
  }, { machine: true, scopes: ["operator.pairing"] });
}

/** `openclaw nodes reject <requestId>`: drops a pending surface request. */
export function nodesReject(requestId: string, options: RpcOptions): Promise<number> {
  return runNodes("reject", options, async (session) => {
    const result = await session.call("node.pair.reject", { requestId }).catch((error) => {
      if (isUnknownRequest(error)) throw new Error(unknownRequestMessage(requestId, options));
      throw error;
    });
    printJson(result);
    return 0;
  }, { machine: true });
}

/** `openclaw nodes remove --node <idOrNameOrIp>`: revokes the node role and closes its sessions. */
export function nodesRemove(options: RpcOptions & { node?: string }): Promise<number> {
  return runNodes("remove", options, async (session) => {
    const { nodeId } = await session.resolveNode(options.node);
    const result = await session.call("node.pair.remove", { nodeId });
    if (options.json) printJson(result);
    else printLine(`Removed paired node ${nodeId}`);
    return 0;
  });
}

/** `openclaw nodes rename --node <idOrNameOrIp> --name <displayName>`: the operator's name for a node. */
export function nodesRename(options: RpcOptions & { node?: string; name?: string }): Promise<number> {
  const name = options.name?.trim() ?? "";
  return runNodes("rename", options, async (session) => {
    const { nodeId } = await session.resolveNode(options.node);
    const result = await session.call("node.rename", { nodeId, displayName: name });
    if (options.json) printJson(result);
    else printLine(`node rename ok: ${nodeId} -> ${name}`);
    return 0;
  }, {
    check: () => {
      if (!name) {
        throw new Error(
          "--name must not be empty. Run openclaw nodes list to see paired nodes, then rerun with --name <displayName>.",
        );
      }
    },
  });
}
