// What `openclaw sessions cleanup` prints, in the reference's words: the dry run's counts, its table of
// planned actions (newest first) and its summary by label; the real run's applied counts.
import type { CleanupPreview, CleanupSummary } from "../../server/local_sessions_cleanup.ts";
import { printLine } from "../output.ts";
import { renderTable, tableWidth } from "../table.ts";
import { formatAge, formatKeyCell } from "./sessions_cells.ts";
import { type RowContext, sessionListRow } from "./sessions_rows.ts";

const KEPT = new Set(["keep", "archive-dashboard", "archive-cap", "archive-age"]);

function labelSummary(rows: { label: string; action: string }[]): string[] {
  const byLabel = new Map<string, { kept: number; pruned: number }>();
  for (const row of rows) {
    const counts = byLabel.get(row.label) ?? { kept: 0, pruned: 0 };
    if (KEPT.has(row.action)) counts.kept += 1;
    else counts.pruned += 1;
    byLabel.set(row.label, counts);
  }
  const labels = [...byLabel.keys()].toSorted((a, b) => a.localeCompare(b));
  if (labels.length === 0) return [];
  const pad = Math.max(...labels.map((l) => l.length));
  let kept = 0;
  let pruned = 0;
  const lines = ["", "Summary by Label:"];
  for (const label of labels) {
    const c = byLabel.get(label)!;
    kept += c.kept;
    pruned += c.pruned;
    lines.push(`${label.padEnd(pad)}  ${c.kept} kept, ${c.pruned} pruned`);
  }
  lines.push(`Total: ${kept} kept, ${pruned} pruned`);
  return lines;
}

/** The dry run's report of one store. */
export function printDryRun(preview: CleanupPreview, ctx: RowContext, showAgent: boolean): void {
  const s = preview.summary;
  if (showAgent) printLine(`Agent: ${s.agentId}`);
  printLine(`Session store: ${s.storePath}`);
  printLine(`Maintenance mode: ${s.mode}`);
  printLine(`Entries: ${s.beforeCount} -> ${s.afterCount} (remove ${s.beforeCount - s.afterCount})`);
  printLine(`Would prune missing transcripts: ${s.missing}`);
  printLine(`Would retire stale direct DM sessions: ${s.dmScopeRetired}`);
  printLine(`Would prune stale model-run probes: ${s.modelRunPruned}`);
  printLine(`Would archive inactive sessions: ${s.archived}`);
  printLine(`Would archive cap overflow: ${s.capArchived}`);
  printLine(`Would prune stale: ${s.pruned}`);
  printLine(`Would cap overflow: ${s.capped}`);
  if (s.unreferencedArtifacts.scannedFiles) {
    printLine(`Would prune unreferenced artifacts: ${s.unreferencedArtifacts.removedFiles}`);
  }
  if (s.diskBudget) {
    const d = s.diskBudget;
    printLine(
      `Would enforce disk budget: ${d.totalBytesBefore} -> ${d.totalBytesAfter} bytes (files ${d.removedFiles}, entries ${d.removedEntries})`,
    );
  }
  if (preview.entries.length === 0) return;
  const updated = (e: Record<string, unknown>) => typeof e.updatedAt === "number" ? e.updatedAt : 0;
  const rows = preview.entries.toSorted((a, b) => updated(b.entry) - updated(a.entry)).map((e) => {
    const listed = sessionListRow({ sessionKey: e.key, entry: e.entry }, s.agentId, ctx);
    const label = typeof e.entry.label === "string" ? e.entry.label.trim() : "";
    return {
      action: preview.actions.get(e.key) ?? "keep",
      key: formatKeyCell(e.key),
      age: formatAge(updated(e.entry) || null, ctx.now),
      model: String(listed.json.model ?? "unknown"),
      flags: listed.flags,
      label: label || "(unlabeled)",
    };
  });
  printLine("");
  printLine("Planned session actions:");
  printLine(
    renderTable({
      width: tableWidth(),
      columns: [
        { key: "action", header: "Action" },
        { key: "key", header: "Key" },
        { key: "age", header: "Age" },
        { key: "model", header: "Model" },
        { key: "flags", header: "Flags", flex: true },
      ],
      rows,
    }).trimEnd(),
  );
  for (const line of labelSummary(rows)) printLine(line);
}

/** The real run's report: each store and the entries it now holds. */
export function printApplied(summaries: CleanupSummary[]): void {
  summaries.forEach((s, i) => {
    if (i > 0) printLine("");
    if (summaries.length > 1) printLine(`Agent: ${s.agentId}`);
    printLine(`Session store: ${s.storePath}`);
    printLine(`Applied maintenance. Current entries: ${s.appliedCount ?? 0}`);
    if (s.unreferencedArtifacts.removedFiles) {
      printLine(`Pruned unreferenced artifacts: ${s.unreferencedArtifacts.removedFiles}`);
    }
  });
}
