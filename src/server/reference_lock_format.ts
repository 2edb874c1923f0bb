// The reference OpenClaw 2026.9.6's gateway lock files, as its CLI and gateway look for them (its
// dist/gateway-lock-*.mjs: resolveGatewayLockPaths, readActiveGatewayLockIdentity, acquireLockFile, and
// @openclaw/fs-safe's sidecar lock): where they are, what they hold, and how a reader decides whether their
// owner still runs. Pure: the files and processes are reached by reference_lock.ts and process_probe.ts.
import type { ProcessFacts } from "../state/process_probe.ts";

/** How old an unreadable lock file must be before it counts as stale (the reference's `DEFAULT_STALE_MS`). */
export const REFERENCE_LOCK_STALE_MS = 30_000;

/** What the reference's lock may be held for (`role`; absent means a gateway). */
export type ReferenceLockRole = "gateway" | "agent-embedded" | "skill-workshop-apply" | "sqlite-maintenance";

const ROLES: readonly ReferenceLockRole[] = ["gateway", "agent-embedded", "skill-workshop-apply", "sqlite-maintenance"];

/** A lock file's JSON, the fields the reference's `LockPayloadSchema` admits (others are dropped). */
export interface ReferenceLockPayload {
  pid: number;
  ownerId?: string;
  /** A gateway's claim that its cron writes use the reference's dynamic-default ownership projection. */
  cronOwnerProjection?: "dynamic-default-v1";
  createdAt: string;
  configPath: string;
  port?: number;
  role?: ReferenceLockRole;
  stateDir?: string;
  startTime?: number;
}

/** The two lock files a running gateway holds, and their directory. */
export interface ReferenceLockPaths {
  dir: string;
  /** `gateway.state.lock`: one owner per state dir. */
  stateLock: string;
  /** `gateway.<hash>.lock`: one owner per config path; checked first by readers. */
  configLock: string;
}

/**
 * Where the reference looks: `<state dir>/tmp/openclaw-<uid>/` (`openclaw/` without a uid), `stateDir` being
 * the state dir's real path, and the config lock named for the first 8 hex digits of sha256(config path).
 */
export function referenceLockPaths(
  input: { stateDir: string; configHash: string; uid: number | null },
): ReferenceLockPaths {
  const dir = `${input.stateDir}/tmp/${input.uid === null ? "openclaw" : `openclaw-${input.uid}`}`;
  return { dir, stateLock: `${dir}/gateway.state.lock`, configLock: `${dir}/gateway.${input.configHash}.lock` };
}

/** The first 8 hex digits of a sha256 digest, as the config lock's name takes them. */
export function configHashOf(digest: Uint8Array): string {
  return Array.from(digest.subarray(0, 4), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The payload a gateway writes, in the reference's key order; no start time where it is unknown. */
export function gatewayLockPayload(input: {
  pid: number;
  ownerId: string;
  createdAt: string;
  configPath: string;
  stateDir: string;
  port: number;
  startTime: number | undefined;
}): ReferenceLockPayload {
  return {
    pid: input.pid,
    ownerId: input.ownerId,
    // The reference's config writes refuse beside a live gateway whose lock lacks this claim; this gateway's
    // cron store is the reference's own table, ownerless jobs run as the default agent there as here.
    cronOwnerProjection: "dynamic-default-v1",
    createdAt: input.createdAt,
    configPath: input.configPath,
    stateDir: input.stateDir,
    ...(Number.isInteger(input.port) && input.port > 0 && input.port <= 65535 ? { port: input.port } : {}),
    ...(input.startTime === undefined ? {} : { startTime: input.startTime }),
  };
}

/**
 * A lock file's text: the pretty JSON, then the sidecar lock's ownership token (8 tabs and one tab or blank per
 * bit of 16 random bytes), which JSON.parse reads as trailing whitespace.
 */
export function lockFileText(payload: ReferenceLockPayload, tokenBytes: Uint8Array): string {
  let token = "\t".repeat(8);
  for (const byte of tokenBytes) {
    for (let bit = 7; bit >= 0; bit--) token += byte & (1 << bit) ? "\t" : " ";
  }
  return `${JSON.stringify(payload, null, 2)}\n${token}\n`;
}

/** A lock file's payload as the reference's schema reads it; undefined when it would not parse. */
export function parseLockPayload(text: string): ReferenceLockPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const optional = (key: string, ok: (v: unknown) => boolean) => raw[key] === undefined || ok(raw[key]);
  const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const valid = isNumber(raw.pid) && typeof raw.createdAt === "string" && typeof raw.configPath === "string" &&
    optional("ownerId", (v) => typeof v === "string" && v.length > 0) &&
    optional("cronOwnerProjection", (v) => v === "dynamic-default-v1") &&
    optional("port", (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535) &&
    optional("role", (v) => ROLES.includes(v as ReferenceLockRole)) &&
    optional("stateDir", (v) => typeof v === "string") &&
    optional("startTime", isNumber);
  if (!valid) return undefined;
  const keys = [
    "pid",
    "ownerId",
    "cronOwnerProjection",
    "createdAt",
    "configPath",
    "port",
    "role",
    "stateDir",
    "startTime",
  ];
  return Object.fromEntries(
    keys.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]]),
  ) as unknown as ReferenceLockPayload;
}

/** Entry scripts whose presence in an argv makes it an OpenClaw process (the reference's `ENTRY_CANDIDATES`). */
const ENTRY_CANDIDATES = [
  "dist/index.js",
  "dist/entry.js",
  "openclaw.mjs",
  "scripts/run-node.mjs",
  "src/entry.ts",
  "src/index.ts",
];

function normalizeArg(arg: string): string {
  return arg.replaceAll("\\", "/").trim().toLowerCase();
}

function executableOf(args: readonly string[]): string {
  return normalizeArg(args[0] ?? "").replace(/\.(bat|cmd|exe)$/i, "");
}

/**
 * Whether an argv is OpenClaw's, as the reference's `isOpenClawArgv` judges it: its executable is `openclaw`
 * or an argument ends in one of its entry scripts. `deno run … main.js gateway run` is neither.
 */
export function isOpenClawArgv(args: readonly string[]): boolean {
  if (args.some((arg) => ENTRY_CANDIDATES.some((entry) => normalizeArg(arg).endsWith(entry)))) return true;
  const exe = executableOf(args);
  return exe === "openclaw" || exe.endsWith("/openclaw");
}

function isOpenClawCommandArgv(args: readonly string[], command: string): boolean {
  return args.some((arg) => normalizeArg(arg) === command) && isOpenClawArgv(args);
}

/** Whether an argv is an OpenClaw gateway's (the reference's `isGatewayArgv`, its `openclaw-gateway` binary admitted). */
export function isGatewayArgv(args: readonly string[]): boolean {
  if (isOpenClawCommandArgv(args, "gateway")) return true;
  const exe = executableOf(args);
  return exe === "openclaw-gateway" || exe.endsWith("/openclaw-gateway");
}

/**
 * Whether the reference knows a gateway started as `execPath args…` by its command line alone, so its locks need
 * no start time: true for the binary (`openclaw gateway run`), false under `deno run … main.js gateway run`.
 */
export function argvProvesGateway(execPath: string, args: readonly string[]): boolean {
  return isGatewayArgv([execPath, ...args]);
}

/** Whether a lock's owner runs, as the reference decides it. */
export type OwnerStatus = "alive" | "dead" | "unknown";

/**
 * The reference's `resolveGatewayOwnerStatus`: a dead pid is dead; a recorded start time that the process's own
 * differs from is dead (the pid was reused), and one that matches is alive without looking further; otherwise the
 * argv decides, by the lock's role. `facts` undefined: nothing could be told of the process (unknown on Linux; the
 * reference trusts such an owner elsewhere, `linux` false). Beyond the reference: a lock naming the reader's own pid
 * (`ownPid`), which the reader does not hold, is a leftover of an earlier run of ours that died uncleanly (a
 * container's gateway has the same pid every start), dead whatever its argv says.
 */
export function ownerStatus(
  payload: ReferenceLockPayload,
  facts: ProcessFacts | undefined,
  options: { linux: boolean; ownPid: number },
): OwnerStatus {
  if (payload.pid === options.ownPid) return "dead";
  if (facts && !facts.alive) return "dead";
  if (facts && payload.startTime !== undefined && facts.startTime !== undefined) {
    return facts.startTime === payload.startTime ? "alive" : "dead";
  }
  const role = payload.role ?? "gateway";
  const args = facts?.args;
  if (role !== "gateway") {
    if (!args) return "unknown";
    if (role === "agent-embedded") return isOpenClawArgv(args) ? "alive" : "dead";
    return isOpenClawCommandArgv(args, role === "sqlite-maintenance" ? "doctor" : "skills") ? "alive" : "dead";
  }
  if (!args) return options.linux ? "unknown" : "alive";
  return isGatewayArgv(args) ? "alive" : "dead";
}

/** What to do about a lock file found in place: refuse (`held`), take it over (`stale`), or read it again (`retry`). */
export type LockVerdict = "held" | "stale" | "retry";

/**
 * The reference's `shouldReclaimGatewayLock`: a lock naming a pid is stale only when its owner is dead; one without
 * (it does not parse: its writer may be between create and write) once its `createdAt` or, failing that, the
 * file's mtime is older than {@link REFERENCE_LOCK_STALE_MS}. An unparsable fresh one is read again.
 */
export function lockVerdict(input: {
  payload: ReferenceLockPayload | undefined;
  status: OwnerStatus | undefined;
  nowMs: number;
  mtimeMs: number | undefined;
}): LockVerdict {
  if (input.payload?.pid) return input.status === "dead" ? "stale" : "held";
  const created = input.payload ? Date.parse(input.payload.createdAt) : NaN;
  if (Number.isFinite(created) && input.nowMs - created > REFERENCE_LOCK_STALE_MS) return "stale";
  if (input.mtimeMs !== undefined && input.nowMs - input.mtimeMs > REFERENCE_LOCK_STALE_MS) return "stale";
  return input.payload ? "held" : "retry";
}
