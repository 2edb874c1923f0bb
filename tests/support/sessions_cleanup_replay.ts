// The reference's `openclaw sessions cleanup` recording (tests/fixtures/sessions/reference_sessions_cleanup.json)
// made replayable: the same seeds, with the session ids the recording's table shows, written by our
// SessionStore into a state dir, and the recorded outputs with what differs by run (the temp root, the
// bytes a database takes on disk) normalized.
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { formatKeyCell } from "../../src/cli/commands/sessions_cells.ts";

const DAY = 86_400_000;

/** The recording, as written by tools/record_reference_sessions_cleanup.ts. */
export interface CleanupRecording {
  seeds: [string, number][];
  dryRunJson: { code: number; stdout: Record<string, unknown> };
  dryRunText: { code: number; stdout: string };
  appliedJson: { code: number; stdout: Record<string, unknown> };
  after: {
    sessionNodes: { key: string; archivedAt: number | null; archiveReason: string | null }[];
    windowsOf: string[];
    archives: { id: string; key: string; reason: string; name: string; published: boolean; jsonl: string }[];
  };
  sessionsDirFiles: string[];
}

/** Reads the recording. */
export async function loadCleanupRecording(): Promise<CleanupRecording> {
  const url = new URL("../fixtures/sessions/reference_sessions_cleanup.json", import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

/**
 * The session id of each seed, read back from the recorded table: a row's flags cell ends in
 * `id:<uuid>`, wrapped onto the next line; the key cell is the key as the table cuts it.
 */
export function recordedIds(recording: CleanupRecording): Map<string, string> {
  const lines = recording.dryRunText.stdout.split("\n").filter((l) => l.startsWith("│"));
  const cells = lines.map((l) => l.split("│").slice(1, -1).map((c) => c.trim()));
  const ids = new Map<string, string>();
  for (let i = 1; i < cells.length; i++) {
    const [, keyCell, , , flags] = cells[i]!;
    if (!keyCell || keyCell === "Key") continue;
    const tail = cells[i + 1] && !cells[i + 1]![1] ? cells[i + 1]![4]! : "";
    const id = /id:(\S+)$/.exec(`${flags}${tail}`)?.[1];
    const key = recording.seeds.map(([k]) => k).find((k) => formatKeyCell(k) === keyCell);
    if (id && key) ids.set(key, id);
  }
  return ids;
}

/** Writes the recording's seeds into `stateDir` with our SessionStore's agent database, one message each. */
export function seedRecording(stateDir: string, recording: CleanupRecording, now: number): Map<string, string> {
  const ids = recordedIds(recording);
  const db = openAgentDb(stateDir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    for (const [key, ageDays] of recording.seeds) {
      const at = now - ageDays * DAY;
      sessions.importSession({ key, sessionId: ids.get(key) ?? crypto.randomUUID(), createdAt: at, updatedAt: at }, [
        { role: "user", content: [{ type: "text", text: `${key}: hello` }], timestamp: at } as never,
      ]);
    }
  } finally {
    db.close();
  }
  return ids;
}

/** A summary with the store path's root and the on-disk byte totals replaced by placeholders. */
export function normalizeSummary(summary: Record<string, unknown>, root: string): Record<string, unknown> {
  const disk = summary.diskBudget as Record<string, unknown> | null;
  return {
    ...summary,
    storePath: String(summary.storePath).replace(root, "<root>/state"),
    ...(disk ? { diskBudget: { ...disk, totalBytesBefore: "<bytes>", totalBytesAfter: "<bytes>" } } : {}),
  };
}

/** The dry run's text with the store path's root and the disk budget's byte totals replaced. */
export function normalizeText(text: string, root: string): string {
  return text.replaceAll(root, "<root>/state").replace(
    /Would enforce disk budget: \d+ -> \d+ bytes/,
    "Would enforce disk budget: <bytes> -> <bytes> bytes",
  );
}
