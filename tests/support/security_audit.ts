// What the `openclaw security audit` integration tests share: the reference's recorded reports,
// the checkIds this gateway leaves out or words its own way, and a home with known problems.
import { runOpenclaw, type TempHome, tempHome } from "./spawn_gateway.ts";

/** One finding as both CLIs print it. */
export interface Finding {
  checkId: string;
  severity: string;
  title: string;
  detail: string;
  remediation?: string;
}
/** The `security audit --json` report. */
export interface Report {
  summary: { critical: number; warn: number; info: number };
  findings: Finding[];
  suppressedFindings?: (Finding & { suppression: { reason?: string } })[];
  deep?: { gateway: { attempted: boolean; url: string; ok: boolean; error: string | null } };
  secretDiagnostics: unknown[];
}

/** The reference's recorded reports (tests/fixtures/security/reference_audit.json). */
export const FIXTURE = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/security/reference_audit.json", import.meta.url)),
);

/** The reference's checkIds this gateway does not raise on purpose (docs/cli.md `openclaw security`). */
export const SAFER_HERE = new Set([
  "gateway.auth_no_rate_limit", // failed credentials are always rate limited
  "gateway.trusted_proxies_missing", // forwarded headers from untrusted peers are refused
  "gateway.loopback_no_auth", // token mode generates and stores a token
  "gateway.http.no_auth", // likewise
  "security.exposure.open_groups_with_elevated", // no elevated mode
]);
/** Findings whose words say what this gateway does (no elevated/browser, host exec asks, no gateway/plugins tools). */
export const OWN_WORDS = new Set([
  "summary.attack_surface",
  "security.exposure.open_groups_with_runtime_or_fs",
  "security.exposure.open_groups_with_control_plane_tools",
  "security.trust_model.multi_user_heuristic",
]);

/** A home with the recorded problem config, its state dir 755 and config 644. */
export async function badHome(): Promise<TempHome> {
  const home = await tempHome(FIXTURE.bad.config);
  await Deno.chmod(home.stateDir, 0o755);
  await Deno.chmod(home.configPath, 0o644);
  return home;
}

/** Runs our `openclaw security audit <args>` on a home. */
export function audit(home: TempHome, ...args: string[]) {
  return runOpenclaw(["security", "audit", ...args], { home: home.home });
}

/** A report with the home's path written as the fixture writes it. */
export function normalized(stdout: string, home: TempHome): Report {
  return JSON.parse(stdout.replaceAll(home.home, "<HOME>"));
}

/** `checkId:severity` of each finding, in order. */
export function ids(report: { findings: Finding[] }): string[] {
  return report.findings.map((finding) => `${finding.checkId}:${finding.severity}`);
}
