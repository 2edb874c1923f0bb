// `openclaw nodes status` and `openclaw nodes describe`: the gateway's `node.list` as one table
// (node, id, IP, detail, status, caps) and one node's fields and commands, in the reference's
// words, columns and JSON.
import { printJson, printLine } from "../output.ts";
import type { RpcOptions } from "../rpc_options.ts";
import { renderTable, tableWidth } from "../table.ts";
import {
  ageOf,
  approvalLabel,
  approvalStateOf,
  approveCommand,
  connectionReminder,
  formatClientLabel,
  formatNodeVersions,
  formatPathEnv,
  formatPermissions,
  isPendingState,
  nodeLabel,
  type NodeRow,
  sanitizeTerminalText,
  sortedStrings,
} from "./nodes_format.ts";
import { connectionFilter, type ConnectionFilterOptions } from "./nodes_filter.ts";
import { runNodes } from "./nodes_rpc.ts";

function statusCell(node: NodeRow, now: number): string {
  const state = approvalStateOf(node.approvalState);
  const since = typeof node.connectedAtMs === "number" ? ` (${ageOf(now, node.connectedAtMs)})` : "";
  const approval = state ? ` · ${approvalLabel(state)}` : "";
  return `${node.paired ? "paired" : "unpaired"} · ${node.connected ? "connected" : "disconnected"}${since}${approval}`;
}

function detailCell(node: NodeRow, now: number, home: string | undefined): string {
  const client = formatClientLabel(node);
  const perms = formatPermissions(node.permissions);
  const path = formatPathEnv(node.pathEnv, node.platform, home);
  const input = ageOf(now, node.lastActiveAtMs);
  return [
    client ? `client: ${client}` : undefined,
    node.deviceFamily ? `device: ${node.deviceFamily}` : undefined,
    node.modelIdentifier ? `hw: ${node.modelIdentifier}` : undefined,
    perms ? `perms: ${perms}` : undefined,
    formatNodeVersions(node),
    path ? `path: ${path}` : undefined,
    input ? `input: ${input}${node.active ? " (active)" : ""}` : undefined,
  ].filter((part): part is string => Boolean(part)).map(sanitizeTerminalText).join(" · ");
}

/** `openclaw nodes status [--connected] [--last-connected <duration>]`. */
export function nodesStatus(options: RpcOptions & ConnectionFilterOptions): Promise<number> {
  let keep: (node: NodeRow, now: number) => boolean = () => true;
  return runNodes("status", options, async (session) => {
    const result = await session.call<Record<string, unknown>>("node.list", {});
    const now = Date.now();
    const all = Array.isArray(result?.nodes) ? result.nodes as NodeRow[] : [];
    const nodes = all.filter((node) => keep(node, now));
    if (options.json) {
      printJson({ ...result, ts: typeof result?.ts === "number" ? result.ts : now, nodes });
      return 0;
    }
    const of = nodes.length !== all.length ? ` (of ${all.length})` : "";
    const paired = nodes.filter((n) => n.paired).length;
    const connected = nodes.filter((n) => n.connected).length;
    printLine(`Known: ${nodes.length}${of} · Paired: ${paired} · Connected: ${connected}`);
    if (nodes.length === 0) return 0;
    const home = Deno.env.get("HOME");
    const rows = nodes.map((n) => ({
      Node: nodeLabel(n),
      ID: sanitizeTerminalText(n.nodeId),
      IP: sanitizeTerminalText(n.remoteIp ?? ""),
      Detail: detailCell(n, now, home),
      Status: statusCell(n, now),
      Caps: Array.isArray(n.caps) ? sanitizeTerminalText(sortedStrings(n.caps)!.join(", ")) : "?",
    }));
    printLine(
      renderTable({
        width: tableWidth(),
        columns: [
          { key: "Node", header: "Node", minWidth: 14, flex: true },
          { key: "ID", header: "ID", minWidth: 10 },
          { key: "IP", header: "IP", minWidth: 10 },
          { key: "Detail", header: "Detail", minWidth: 18, flex: true },
          { key: "Status", header: "Status", minWidth: 18 },
          { key: "Caps", header: "Caps", minWidth: 12, flex: true },
        ],
        rows,
      }).trimEnd(),
    );
    for (const node of nodes) {
      const state = approvalStateOf(node.approvalState);
      const requestId = node.pendingRequestId?.trim();
      if (!isPendingState(state) || !requestId) continue;
      const action = state === "pending-reapproval" ? "Reapproval" : "Approval";
      printLine(
        `${action} pending for ${nodeLabel(node)}. Run ${
          sanitizeTerminalText(approveCommand(requestId, options.timeout))
        }`,
      );
      const reminder = connectionReminder(options);
      if (reminder) printLine(reminder);
    }
    return 0;
  }, {
    refusalEchoes: 2,
    check: () => {
      keep = connectionFilter(options);
    },
  });
}

function describeRows(node: NodeRow, options: RpcOptions, now: number): Record<string, string>[] {
  const state = approvalStateOf(node.approvalState);
  const pendingId = node.pendingRequestId?.trim() || undefined;
  const approve = isPendingState(state) && pendingId ? approveCommand(pendingId, options.timeout) : undefined;
  const reminder = approve ? connectionReminder(options) : undefined;
  const client = formatClientLabel(node);
  const perms = formatPermissions(node.permissions);
  const versions = formatNodeVersions(node);
  const lastActive = ageOf(now, node.lastActiveAtMs);
  const pendingCaps = sortedStrings(node.pendingDeclaredCaps);
  const pendingPerms = formatPermissions(node.pendingDeclaredPermissions);
  const caps = sortedStrings(node.caps);
  const s = sanitizeTerminalText;
  const rows: [string, string | undefined][] = [
    ["ID", s(node.nodeId)],
    ["Name", node.displayName ? s(node.displayName) : undefined],
    ["Client", client && s(client)],
    ["IP", typeof node.remoteIp === "string" && node.remoteIp ? s(node.remoteIp) : undefined],
    ["Device", typeof node.deviceFamily === "string" && node.deviceFamily ? s(node.deviceFamily) : undefined],
    ["Model", typeof node.modelIdentifier === "string" && node.modelIdentifier ? s(node.modelIdentifier) : undefined],
    ["Perms", perms && s(perms)],
    ["Version", versions && s(versions)],
    ["PATH", typeof node.pathEnv === "string" && node.pathEnv ? s(node.pathEnv) : undefined],
    ["Last input", lastActive && `${lastActive}${node.active === true ? " (active node)" : ""}`],
    [
      "Status",
      `${node.paired ? "paired" : "unpaired"} · ${node.connected ? "connected" : "disconnected"}`,
    ],
    ["Approval", state && approvalLabel(state)],
    ["Pending request", pendingId && s(pendingId)],
    ["Pending caps", pendingCaps && s(pendingCaps.join(", "))],
    ["Pending perms", pendingPerms && s(pendingPerms)],
    [state === "pending-reapproval" ? "Reapprove" : "Approve", approve && s(approve)],
    ["Connection reminder", reminder],
    ["Caps", caps ? s(caps.join(", ")) : "?"],
  ];
  return rows.flatMap(([Field, Value]) => Value === undefined ? [] : [{ Field, Value }]);
}

/** `openclaw nodes describe --node <idOrNameOrIp>`: one node's fields, then its effective and pending commands. */
export function nodesDescribe(options: RpcOptions & { node?: string }): Promise<number> {
  return runNodes("describe", options, async (session) => {
    const { nodeId } = await session.resolveNode(options.node);
    const result = await session.call<NodeRow>("node.describe", { nodeId });
    if (options.json) {
      printJson(result);
      return 0;
    }
    const node: NodeRow = {
      ...result,
      nodeId,
      displayName: typeof result.displayName === "string" ? result.displayName : nodeId,
    };
    printLine("Node");
    printLine(
      renderTable({
        width: tableWidth(),
        columns: [{ key: "Field", header: "Field", minWidth: 8 }, {
          key: "Value",
          header: "Value",
          minWidth: 24,
          flex: true,
        }],
        rows: describeRows(node, options, Date.now()),
      }).trimEnd(),
    );
    printLine("");
    printLine("Commands");
    const commands = sortedStrings(result.commands) ?? [];
    if (commands.length === 0) printLine("- (none effective)");
    for (const command of commands) printLine(`- ${sanitizeTerminalText(command)}`);
    const pending = sortedStrings(result.pendingDeclaredCommands) ?? [];
    if (pending.length > 0) {
      printLine("");
      printLine("Pending commands");
      for (const command of pending) printLine(`- ${sanitizeTerminalText(command)}`);
    }
    return 0;
  }, { refusalEchoes: 2 });
}
