// Where runs' trajectory runtime events go: after a run has answered, its recorded events are bounded,
// projected and masked (the reference's rules: trajectory_payload.ts) and appended to the session's agent
// database in one transaction (`trajectory_runtime_events`), as the reference's runtime writes them, so its
// `sessions export-trajectory` and `sessions tail` show a session this gateway ran. `OPENCLAW_TRAJECTORY=0`
// turns it off (read at the program's edge). The projection and masks load with the first write.
import type { RunLog } from "./run_log.ts";
import type { SessionStore } from "../sessions/store.ts";
import type { TrajectoryRow } from "../sessions/trajectory_runtime_store.ts";
import type { FieldNames } from "../sessions/trajectory_projection.ts";
import { VERSION } from "../version.ts";
import type { RunTrajectory, TrajectoryHarness } from "./run_trajectory.ts";

/**
 * How many characters of masked (and, apart, of projected) strings are kept for reuse (tool descriptions, the
 * config's texts, the system prompt: the same every run); past it a memo starts again, so unique tool results never
 * hold more than this.
 */
const MEMO_MAX_CHARS = 262_144;

type Sanitizers = {
  rows(
    run: RunTrajectory,
    redact: (text: string) => string,
    projectText: (text: string) => unknown,
    projectString: (text: string) => string,
    names: FieldNames,
  ): TrajectoryRow[];
  redactTokens(text: string): string;
  /** One string as the projection makes it (`redactDiagnosticText`). */
  projectString(text: string): string;
};

/** Strings already worked on, by their text, up to {@link MEMO_MAX_CHARS} characters in all. */
interface TextMemo {
  done: Map<string, string>;
  chars: number;
}

/** `work(text)`, from the memo when the text was seen before. */
function remembered(memo: TextMemo, text: string, work: (text: string) => string): string {
  const known = memo.done.get(text);
  if (known !== undefined) return known;
  const result = work(text);
  if (memo.chars + text.length > MEMO_MAX_CHARS) {
    memo.done.clear();
    memo.chars = 0;
  }
  memo.done.set(text, result);
  memo.chars += text.length;
  return result;
}

async function loadSanitizers(): Promise<Sanitizers> {
  const [{ redactDiagnosticText, sanitizeDiagnosticPayload }, { redactTokens }, { trajectoryRows }] = await Promise.all(
    [
      import("../sessions/trajectory_projection.ts"),
      import("../sessions/secret_text_redaction.ts"),
      import("./trajectory_rows.ts"),
    ],
  );
  return {
    rows: (run, redact, projectText, projectString, names) =>
      trajectoryRows(run, (value) => sanitizeDiagnosticPayload(value, projectString, names), redact, projectText),
    redactTokens,
    projectString: redactDiagnosticText,
  };
}

function harnessOf(): TrajectoryHarness {
  const platform = Deno.build.os;
  const arch = Deno.build.arch === "x86_64" ? "x64" : Deno.build.arch === "aarch64" ? "arm64" : Deno.build.arch;
  let release = "";
  try {
    release = Deno.osRelease();
  } catch {
    // Without --allow-sys the release is unknown; the label says so by leaving it out.
  }
  return {
    version: VERSION,
    os: { platform, arch, release, label: release ? `${platform} ${release} (${arch})` : `${platform} (${arch})` },
    runtime: { deno: Deno.version.deno },
    invocation: [Deno.execPath(), ...Deno.args],
    entrypoint: Deno.execPath(),
  };
}

/** Writes each finished run's trajectory events; one per run engine (gateway or `agent --local`). */
export class TrajectoryWriter {
  #sessions: SessionStore;
  #log: RunLog;
  #harness: TrajectoryHarness | undefined;
  #sanitizers: Promise<Sanitizers> | undefined;
  #masked: TextMemo = { done: new Map(), chars: 0 };
  #projected: TextMemo = { done: new Map(), chars: 0 };
  /** Field names the projection judged (bounded by the projection itself). */
  #names: FieldNames = new Map();
  #pending = new Set<Promise<void>>();

  constructor(options: { sessions: SessionStore; log: RunLog }) {
    this.#sessions = options.sessions;
    this.#log = options.log;
  }

  /** The host facts every run's `trace.metadata` carries, read once. */
  get harness(): TrajectoryHarness {
    return this.#harness ??= harnessOf();
  }

  /** Writes `run`'s events after the current task (the run's answer leaves first); failures are logged. */
  write(run: RunTrajectory): void {
    if (run.events.length === 0) return;
    const done = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(async () => {
      const sanitizers = await (this.#sanitizers ??= loadSanitizers());
      // One memo for every projected string, the system prompt (cut to 32 K characters first) with the rest.
      const projectString = (text: string) => remembered(this.#projected, text, sanitizers.projectString);
      const rows = sanitizers.rows(
        run,
        (text) => remembered(this.#masked, text, sanitizers.redactTokens),
        projectString,
        projectString,
        this.#names,
      );
      await this.#sessions.appendTrajectory(run.header.agentId, run.header.sessionId, rows);
    }).catch((error) => {
      this.#log.warn(`trajectory events of run ${run.header.runId} not written: ${error}`);
    });
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }

  /** Resolves once every write begun so far has landed or failed (before a one-shot process exits). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
