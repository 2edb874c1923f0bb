// What `openclaw tasks audit [--severity] [--code] [--limit] [--json]` prints, as the reference prints it.
import { AUDIT_SEVERITIES, SYSTEM_AUDIT_CODES, systemAudit, type SystemFinding } from "./tasks_audit_findings.ts";
import { enumFilter, TasksCliError } from "./tasks_cli_error.ts";
import type { Ledger } from "./tasks_ledger.ts";
import { formatAge, terminalText, tokenCell, truncateText } from "./tasks_text.ts";
import { jsonView, lines, type TasksView } from "./tasks_views.ts";

/** `--limit`: a strictly positive integer, else refused in the reference's words. */
export function auditLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TasksCliError("--limit must be a positive integer, for example --limit 25.");
  }
  return value;
}

function auditRows(findings: readonly SystemFinding[]): string[] {
  const header = [
    "Scope".padEnd(8),
    "Severity".padEnd(8),
    "Code".padEnd(22),
    "Item".padEnd(10),
    "Status".padEnd(10),
    "Age".padEnd(8),
    "Detail",
  ].join(" ");
  return [
    header,
    ...findings.map((finding) =>
      [
        (finding.kind === "task" ? "Task" : "TaskFlow").padEnd(8),
        finding.severity.padEnd(8),
        finding.code.padEnd(22),
        tokenCell(finding.token),
        finding.status.padEnd(10),
        formatAge(finding.ageMs).padEnd(8),
        truncateText(terminalText(finding.detail), 88),
      ].join(" ").trimEnd()
    ),
  ];
}

/** `tasks audit`. */
export function auditView(
  ledger: Ledger,
  options: { severity?: string; code?: string; limit?: number | undefined; json?: boolean },
  now: number,
): TasksView {
  const severity = enumFilter(options.severity, "--severity", AUDIT_SEVERITIES);
  const code = enumFilter(options.code, "--code", SYSTEM_AUDIT_CODES);
  const { filtered, summary } = systemAudit(ledger.tasks, ledger.flows, now, { severity, code });
  const limit = typeof options.limit === "number" && options.limit > 0 ? options.limit : undefined;
  const displayed = limit ? filtered.slice(0, limit) : filtered;
  if (options.json) {
    return jsonView({
      count: summary.total,
      filteredCount: filtered.length,
      displayed: displayed.length,
      filters: { severity: severity ?? null, code: code ?? null, limit: limit ?? null },
      summary: {
        ...summary.tasks,
        taskFlows: summary.taskFlows,
        combined: { total: summary.total, errors: summary.errors, warnings: summary.warnings },
      },
      findings: displayed,
    });
  }
  const out = [
    `Tasks audit: ${summary.total} findings · ${summary.errors} errors · ${summary.warnings} warnings`,
    ...(severity || code ? [`Showing ${filtered.length} matching findings.`] : []),
    ...(severity ? [`Severity filter: ${terminalText(severity)}`] : []),
    ...(code ? [`Code filter: ${terminalText(code)}`] : []),
    ...(limit ? [`Limit: ${limit}`] : []),
    `Task findings: ${summary.tasks.total} · TaskFlow findings: ${summary.taskFlows.total}`,
  ];
  return lines(displayed.length === 0 ? [...out, "No tasks audit findings."] : [...out, ...auditRows(displayed)]);
}
