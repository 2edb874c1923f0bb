// One session of the reference `openclaw tui` in tmux, the same against the reference gateway (to
// record what it calls) and against ours (to test it): it connects through a frame-logging relay,
// sends a message and shows the fake model's answer. Its own HOME is a fresh directory, so it has
// no config of its own and takes the gateway from --url/--token.
import { FAKE_ANSWER } from "./fake_upstream.ts";
import { PEER_OPENCLAW, peerEnv } from "./peer.ts";
import { TmuxTui } from "./tmux_tui.ts";
import { FrameLog, sectionFailures, streamFailure } from "./ws_frame_log.ts";
import { startWsRelay } from "./ws_relay.ts";

/** `text` as a literal in a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The message the session sends. */
export const TUI_MESSAGE = "Hello from the reference TUI";

/** What a session found. */
export interface TuiSessionResult {
  log: FrameLog;
  /** Steps that failed, in order; empty when all went well. */
  problems: string[];
  /** The last screen read. */
  screen: string;
}

/** The sections of a session, in order. */
export const TUI_SECTIONS: readonly string[] = ["tui connect", "tui send"];

/**
 * What is wrong in each section of a session (empty: it went as against the reference gateway):
 * connected and idle, the answer shown below the message, no error answer of any kind, and the
 * answer streamed (a partial chat delta before the final).
 */
export function judgeTuiSessionBySection(session: TuiSessionResult): { section: string; failures: string[] }[] {
  return TUI_SECTIONS.map((section) => {
    const failures = sectionFailures(session.log, section, session.problems);
    if (section === "tui send") {
      if (!session.log.requests.some((r) => r.section === section && r.method === "chat.send" && r.answer?.ok)) {
        failures.push("no chat.send answered ok");
      }
      const stream = streamFailure(session.log, section, FAKE_ANSWER);
      if (stream) failures.push(`the answer "${FAKE_ANSWER}" did not stream: ${stream}`);
    }
    return { section, failures };
  });
}

/** Every section's failures in one list, each line naming its section; empty when the session passed. */
export function judgeTuiSession(session: TuiSessionResult): string[] {
  return judgeTuiSessionBySection(session).flatMap(({ section, failures }) => failures.map((f) => `${section}: ${f}`));
}

/** Runs the session; never throws for a step that fails, it is listed in `problems`. */
export async function runTuiSession(
  input: { gatewayPort: number; token: string; dir: string; stepTimeoutMs?: number },
): Promise<TuiSessionResult> {
  const timeout = input.stepTimeoutMs ?? 30_000;
  const log = new FrameLog();
  const problems: string[] = [];
  const relay = await startWsRelay(input.gatewayPort, log);
  const home = `${input.dir}/tui-home`;
  await Deno.mkdir(home, { recursive: true });
  let screen = "";
  let tui: TmuxTui | undefined;
  const step = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      // The first line only: the screen the step saw is the result's `screen`.
      problems.push(`${log.section}: ${what}: ${(error as Error).message.split("\n")[0]}`);
      return false;
    }
    return true;
  };
  try {
    log.enter("tui connect");
    tui = await TmuxTui.start({
      dir: input.dir,
      argv: [PEER_OPENCLAW, "tui", "--url", relay.url, "--token", input.token],
      env: peerEnv({ home, stateDir: `${home}/.openclaw`, configPath: `${home}/.openclaw/openclaw.json` }, {
        // The TUI is a terminal program: it must not think it runs in CI or without colour support.
        CI: "",
      }),
      cwd: home,
    });
    const session = tui;
    const connected = await step("connected and idle", async () => {
      screen = await session.waitFor(/connected \| idle/, "the TUI connected and idle", timeout);
    });
    if (connected) {
      log.enter("tui send");
      await session.type(TUI_MESSAGE);
      await session.press("Enter");
      await step("the answer shown", async () => {
        // The message, then the answer below it, then the status line idle again: an answer already
        // in the session's history (above the message) or the message still in the editor (below the
        // status line) does not match.
        screen = await session.waitFor(
          new RegExp(`${escape(TUI_MESSAGE)}[\\s\\S]*${escape(FAKE_ANSWER)}[\\s\\S]*connected \\| idle`),
          "the message, the fake model's answer below it and the TUI idle again",
          timeout,
        );
      });
    }
    screen = (await session.screen().catch(() => screen)).replace(/\s+$/, "");
  } finally {
    log.enter("end");
    await tui?.stop();
    await relay.stop();
  }
  return { log, problems, screen };
}
