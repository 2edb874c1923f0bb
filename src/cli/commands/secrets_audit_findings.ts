// The shapes `openclaw secrets audit` works with: its findings and report (the reference's keys and
// order), what the scan reads, and the collector each scanner adds to.
import type { SecretRefContext } from "../../config/secret_ref_resolver.ts";
import type { SecretRefKey } from "../../config/secret_ref_key.ts";

/** One audit finding, with the reference's keys in its order. */
export interface AuditFinding {
  code:
    | "PLAINTEXT_FOUND"
    | "REF_UNRESOLVED"
    | "REF_SHADOWED"
    | "STORE_PLAINTEXT_RESIDUE"
    | "LEGACY_RESIDUE"
    | "PLACEHOLDER_VALUE";
  severity: "info" | "warn" | "error";
  file: string;
  jsonPath: string;
  message: string;
  provider?: string | undefined;
  profileId?: string | undefined;
}

/** The audit report, as `--json` prints it. */
export interface AuditReport {
  version: 1;
  status: "clean" | "findings" | "unresolved";
  resolution: { refsChecked: number; skippedExecRefs: number; resolvabilityComplete: boolean };
  filesScanned: string[];
  summary: {
    plaintextCount: number;
    unresolvedRefCount: number;
    shadowedRefCount: number;
    storeResidueCount: number;
    legacyResidueCount: number;
  };
  findings: AuditFinding[];
}

/** What the scan reads; the edges (files, store, auth profiles) are injected. */
export interface AuditInputs {
  configPath: string;
  stateDir: string;
  /** The validated config, or undefined when it is invalid. */
  config: Readonly<Record<string, unknown>> | undefined;
  env: SecretRefContext["env"];
  readFile: (path: string) => Promise<string>;
  /** A file's permission bits (file providers' files open to others are refused). */
  fileMode?: SecretRefContext["fileMode"];
  /** Team store entries as name → value (live rows only). */
  storeEntries: () => Map<string, string>;
  /** The shared auth-profile store and its file, when it exists. */
  authStore: () => { path: string; profiles: Record<string, unknown> } | undefined;
  runExec?: SecretRefContext["runExec"];
  allowExec: boolean;
}

/** One SecretRef found in a scanned file, with where it was written. */
export interface RefAssignment {
  file: string;
  path: string;
  ref: SecretRefKey;
  provider: string | undefined;
}

/** What the scanners gather as they go: findings, refs to resolve, and what the later checks compare. */
export interface Collector {
  findings: AuditFinding[];
  refs: RefAssignment[];
  providerRefPaths: Map<string, string[]>;
  authModes: Map<string, Set<string>>;
  plaintext: { file: string; path: string; value: string }[];
  files: Set<string>;
}

/** A non-blank string: a value written in the clear. */
export function isPlaintext(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

/** Notes that a provider has auth-profile credentials of `mode` (they shadow its config refs). */
export function trackAuthMode(c: Collector, provider: string, mode: string): void {
  const key = provider.trim().toLowerCase();
  c.authModes.set(key, (c.authModes.get(key) ?? new Set()).add(mode));
}
