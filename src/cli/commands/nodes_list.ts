// `openclaw nodes list`: pending requests and paired nodes in two tables; a paired row is the
// pairing record overlaid with the live `node.list` view (connection times, effective surface),
// as the reference merges them, and never carries a token.
import { messageOf } from "../../log/error_text.ts";
import { printError, printJson, printLine } from "../output.ts";
import type { RpcOptions } from "../rpc_options.ts";
import { renderTable, tableWidth } from "../table.ts";
import { connectionFilter, type ConnectionFilterOptions, hasFilter } from "./nodes_filter.ts";
import { ageOf, nodeLabel, type NodeRow, sanitizeTerminalText } from "./nodes_format.ts";
import { pendingOf, pendingTable } from "./nodes_pairing.ts";
import { type NodesSession, runNodes } from "./nodes_rpc.ts";

function pairedOf(value: unknown): NodeRow[] {
  const paired = (value as { paired?: unknown } | null)?.paired;
  return Array.isArray(paired)
    ? paired.filter((row): row is NodeRow => typeof row === "object" && row !== null && typeof row.nodeId === "string")
    : [];
}

/** A pairing record with the live view laid over it (the reference's merge, key order included). */
export function mergePaired(paired: NodeRow | undefined, live: NodeRow): NodeRow {
  return {
    ...paired,
    ...live,
    createdAtMs: paired?.createdAtMs as number | undefined,
    lastConnectedAtMs: live.lastConnectedAtMs ?? paired?.lastConnectedAtMs ?? live.connectedAtMs,
    displayName: live.displayName ?? paired?.displayName,
    platform: live.platform ?? paired?.platform,
    version: live.version ?? paired?.version,
    coreVersion: live.coreVersion ?? paired?.coreVersion,
    uiVersion: live.uiVersion ?? paired?.uiVersion,
    remoteIp: live.remoteIp ?? paired?.remoteIp,
    permissions: live.permissions ?? paired?.permissions,
    approvedAtMs: live.approvedAtMs ?? paired?.approvedAtMs,
  };
}

/** Paired rows overlaid with live rows; a live row neither paired nor recorded is left out. */
export function mergePairedRows(paired: NodeRow[], live: NodeRow[] | undefined): NodeRow[] {
  if (!live) return paired;
  const byId = new Map(paired.map((n) => [n.nodeId, n]));
  const rows = live.flatMap((n) => byId.has(n.nodeId) || n.paired === true ? [mergePaired(byId.get(n.nodeId), n)] : []);
  const seen = new Set(rows.map((r) => r.nodeId));
  return [...rows, ...paired.filter((n) => !seen.has(n.nodeId))];
}

async function liveView(session: NodesSession, required: boolean): Promise<NodeRow[] | undefined> {
  try {
    return await session.listNodes();
  } catch (error) {
    if (required) throw error;
    printError(`live node view unavailable (${messageOf(error)}); showing paired-only data`);
    return undefined;
  }
}

/** `openclaw nodes list [--connected] [--last-connected <duration>]`. */
export function nodesList(options: RpcOptions & ConnectionFilterOptions): Promise<number> {
  let keep: (node: NodeRow, now: number) => boolean = () => true;
  return runNodes("list", options, async (session) => {
    const pairing = await session.call("node.pair.list", {});
    const pending = pendingOf(pairing);
    const now = Date.now();
    const merged = mergePairedRows(pairedOf(pairing), await liveView(session, hasFilter(options)));
    const paired = merged.filter((n) => keep(n, now));
    if (options.json) {
      printJson({ pending, paired: paired.map(({ token: _token, ...rest }) => rest) });
      return 0;
    }
    const of = hasFilter(options) && paired.length !== merged.length ? ` (of ${merged.length})` : "";
    printLine(`Pending: ${pending.length} · Paired: ${paired.length}${of}`);
    if (pending.length > 0) {
      printLine("");
      for (const line of pendingTable(pending, now)) printLine(line);
    }
    if (paired.length > 0) {
      printLine("");
      printLine("Paired");
      printLine(
        renderTable({
          width: tableWidth(),
          columns: [
            { key: "Node", header: "Node", minWidth: 14, flex: true },
            { key: "Id", header: "ID", minWidth: 10 },
            { key: "IP", header: "IP", minWidth: 10 },
            { key: "LastConnect", header: "Last Connect", minWidth: 14 },
          ],
          rows: paired.map((n) => ({
            Node: nodeLabel(n),
            Id: sanitizeTerminalText(n.nodeId),
            IP: sanitizeTerminalText(n.remoteIp ?? ""),
            LastConnect: ageOf(now, n.lastConnectedAtMs ?? n.connectedAtMs) ?? "unknown",
          })),
        }).trimEnd(),
      );
    }
    return 0;
  }, {
    check: () => {
      keep = connectionFilter(options);
    },
  });
}
