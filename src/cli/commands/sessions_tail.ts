// `openclaw sessions tail`: the trajectory progress of stored sessions, read offline from the agents'
// databases (`trajectory_runtime_events`) as the reference reads it (no gateway): the last `--tail`
// events (80) of the requested session, else of the running sessions (newest first), else of the latest
// one; with `--follow`, each new event as it lands (polled every second) until SIGINT (exit 130) or
// SIGTERM (exit 143). Recorded in tests/fixtures/sessions/reference_sessions_tail.json.
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { readStoredSessions } from "../../state/session_entries_read.ts";
import { readTrajectoryEvents } from "../../state/trajectory_events_read.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printLine } from "../output.ts";
import { rowContext } from "./sessions_list.ts";
import { formatProgressLine } from "./sessions_tail_format.ts";
import { selectTargets, SessionsCliError } from "./sessions_targets.ts";

/** Flags of `openclaw sessions tail` (the parent's `--store`, `--agent`, `--all-agents` merged in). */
export interface SessionsTailOptions extends GlobalOptions {
  sessionKey?: string;
  tail?: string;
  follow?: boolean;
  store?: string;
  agent?: string;
  allAgents?: boolean;
}

const DEFAULT_TAIL = 80;
const FOLLOW_INTERVAL_MS = 1000;

/** One session a tail can show: its key, its database, its current session id and entry. */
export interface Selection {
  key: string;
  path: string;
  sessionId: string;
  entry: Record<string, unknown>;
}

function parseTail(value: string | undefined): number | null {
  if (value === undefined) return DEFAULT_TAIL;
  const trimmed = value.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The agent a `--session-key` names when no selector is given, as the reference resolves it. */
function agentOfKey(key: string): string {
  const parts = key.trim().toLowerCase().split(":");
  if (parts[0] === "agent") {
    if (parts.length >= 3 && parts[1] && parts.slice(2).join(":")) return parts[1];
    throw new SessionsCliError("Malformed agent session key; refusing default-agent resolution.");
  }
  throw new SessionsCliError("Session key does not contain an agent id; resolve it with the configured default agent.");
}

function updated(s: Selection): number {
  return typeof s.entry.updatedAt === "number" ? s.entry.updatedAt : 0;
}

/** The requested session, else the running ones (newest first), else the latest, as the reference picks. */
export function selectSessionsToTail(selections: Selection[], requested: string | undefined): Selection[] {
  const wanted = requested?.trim();
  if (wanted) return selections.filter((s) => s.key === wanted);
  const running = selections.filter((s) => s.entry.status === "running");
  if (running.length > 0) return running.toSorted((a, b) => updated(b) - updated(a));
  const latest = selections.toSorted((a, b) => updated(b) - updated(a))[0];
  return latest ? [latest] : [];
}

/** Prints each new event until a signal stops the follow; answers the reference's exit code. */
function follow(selected: Selection[], lastSeq: Map<Selection, number>): Promise<number> {
  return new Promise((resolve) => {
    let polling = false;
    const finish = (code: number) => {
      clearInterval(timer);
      Deno.removeSignalListener("SIGINT", onInt);
      Deno.removeSignalListener("SIGTERM", onTerm);
      resolve(code);
    };
    const onInt = () => finish(130);
    const onTerm = () => finish(143);
    Deno.addSignalListener("SIGINT", onInt);
    Deno.addSignalListener("SIGTERM", onTerm);
    const timer = setInterval(async () => {
      if (polling) return;
      polling = true;
      for (const selection of selected) {
        try {
          const rows = await readTrajectoryEvents(selection.path, selection.sessionId, {
            afterSeq: lastSeq.get(selection) ?? -1,
          });
          if (rows.length > 0) lastSeq.set(selection, rows.at(-1)!.seq);
          for (const row of rows) printLine(formatProgressLine(row.event));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          printError(`Failed to read trajectory progress for ${selection.key}: ${reason}`);
          return finish(1);
        }
      }
      polling = false;
    }, FOLLOW_INTERVAL_MS);
  });
}

async function tail(options: SessionsTailOptions): Promise<number> {
  const count = parseTail(options.tail);
  if (count === null) throw new SessionsCliError("--tail must be a non-negative integer, for example --tail 25.");
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const { agents } = await rowContext(paths, env);
  const selector = options.agent !== undefined || options.store !== undefined || options.allAgents === true;
  const agent = selector ? options.agent : options.sessionKey?.trim() ? agentOfKey(options.sessionKey) : undefined;
  const targets = await selectTargets(
    { store: options.store, agent, allAgents: options.allAgents },
    paths.stateDir,
    agents.agents.map((a) => a.id),
    agents.defaultAgentId,
  );
  const selections: Selection[] = [];
  for (const target of targets) {
    for (const { sessionKey, entry } of (await readStoredSessions(target.path))?.entries ?? []) {
      const sessionId = typeof entry.sessionId === "string" ? entry.sessionId.trim() : "";
      if (sessionId) selections.push({ key: sessionKey, path: target.path, sessionId, entry });
    }
  }
  const selected = selectSessionsToTail(selections, options.sessionKey);
  if (selected.length === 0) {
    printLine(`No sessions found${options.sessionKey ? ` for ${options.sessionKey}` : ""}.`);
    return 0;
  }
  const lastSeq = new Map<Selection, number>();
  for (const selection of selected) {
    const rows = await readTrajectoryEvents(selection.path, selection.sessionId, {
      tail: Math.max(count, options.follow ? 1 : 0),
    });
    lastSeq.set(selection, rows.at(-1)?.seq ?? -1);
    for (const row of count > 0 ? rows.slice(-count) : []) printLine(formatProgressLine(row.event));
  }
  return options.follow ? await follow(selected, lastSeq) : 0;
}

/** `openclaw sessions tail`: exit 0 after the snapshot, 130/143 when a follow is stopped, 1 on a refusal. */
export async function sessionsTail(options: SessionsTailOptions): Promise<number> {
  try {
    return await tail(options);
  } catch (error) {
    if (!(error instanceof SessionsCliError)) throw error;
    printError(error.message);
    return 1;
  }
}
