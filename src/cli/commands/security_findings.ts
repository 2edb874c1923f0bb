// The security audit's vocabulary as the reference reports it: a finding (checkId, severity,
// title, detail, remediation), the severity counts, and `security.audit.suppressions`.

/** A finding's severity, as the reference names them. */
export type Severity = "critical" | "warn" | "info";

/** One audit finding, in the reference's JSON shape. */
export interface AuditFinding {
  checkId: string;
  severity: Severity;
  title: string;
  detail: string;
  remediation?: string;
}

/** A finding moved aside by a configured suppression. */
export type SuppressedFinding = AuditFinding & { suppression: { reason?: string } };

/** One `security.audit.suppressions[]` entry as written. */
export interface AuditSuppression {
  checkId: string;
  titleIncludes?: string;
  detailIncludes?: string;
  reason?: string;
}

/** The severity counts of the report's `summary`. */
export function countBySeverity(findings: readonly AuditFinding[]): Record<Severity, number> {
  const summary = { critical: 0, warn: 0, info: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  return summary;
}

/** The configured suppressions: entries with a string `checkId`, others ignored as the reference does. */
export function readSuppressions(config: Record<string, unknown>): AuditSuppression[] | undefined {
  const security = config.security as { audit?: { suppressions?: unknown } } | undefined;
  const list = security?.audit?.suppressions;
  if (!Array.isArray(list)) return undefined;
  return list.filter((entry): entry is AuditSuppression =>
    typeof entry === "object" && entry !== null && typeof (entry as { checkId?: unknown }).checkId === "string"
  );
}

function needle(value: string | undefined): string {
  return (typeof value === "string" ? value : "").trim().toLowerCase();
}

function matches(finding: AuditFinding, suppression: AuditSuppression): boolean {
  const checkId = suppression.checkId.trim();
  if (!checkId || finding.checkId !== checkId) return false;
  const title = needle(suppression.titleIncludes);
  if (title && !finding.title.toLowerCase().includes(title)) return false;
  const detail = needle(suppression.detailIncludes);
  return !detail || finding.detail.toLowerCase().includes(detail);
}

/**
 * Splits findings into active and suppressed; when suppressions are configured the active list
 * ends with the unsuppressible `security.audit.suppressions.active` info finding.
 */
export function applySuppressions(
  findings: readonly AuditFinding[],
  suppressions: readonly AuditSuppression[] | undefined,
): { findings: AuditFinding[]; suppressedFindings: SuppressedFinding[] } {
  if (!suppressions || suppressions.length === 0) return { findings: [...findings], suppressedFindings: [] };
  const active: AuditFinding[] = [];
  const suppressedFindings: SuppressedFinding[] = [];
  for (const finding of findings) {
    const suppression = suppressions.find((candidate) => matches(finding, candidate));
    if (!suppression) {
      active.push(finding);
      continue;
    }
    const reason = typeof suppression.reason === "string" ? suppression.reason.trim() : "";
    suppressedFindings.push({ ...finding, suppression: reason ? { reason } : {} });
  }
  active.push({
    checkId: "security.audit.suppressions.active",
    severity: "info",
    title: "Security audit suppressions configured",
    detail:
      `security.audit.suppressions has ${suppressions.length} configured suppression(s); ${suppressedFindings.length} finding(s) moved to suppressedFindings.`,
    remediation: "Review suppressedFindings and remove suppressions when the accepted risk no longer applies.",
  });
  return { findings: active, suppressedFindings };
}
