// The health step of local non-interactive onboarding, as the reference (OpenClaw 2026.9.6) runs
// it: poll the configured loopback gateway for up to 15 s (a 1.5 s probe every 0.4 s), then, when it
// answers, print `openclaw health` (text runs only; `--json` runs keep the summary alone). An absent
// gateway after an explicit `--skip-daemon` is informational; otherwise the run fails with the
// reference's diagnosis and hints.
import { delay } from "../../async/delay.ts";
import { connectGateway, GatewayTransportError } from "../../client/rpc_client.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { health } from "./health.ts";
import type { OnboardGateway } from "./onboard_local_config.ts";

/** What the health step needs: where the gateway listens and the secret onboarding configured. */
export interface HealthTarget {
  gateway: OnboardGateway;
  token?: string | undefined;
  password?: string | undefined;
}

/** How long the reference waits for a gateway it did not start, and its probe cadence. */
const DEADLINE_MS = 15_000;
const PROBE_MS = 1_500;
const POLL_MS = 400;

/** One probe: undefined when the gateway completed the handshake, else the reference's detail. */
async function probeOnce(url: string, target: HealthTarget): Promise<string | undefined> {
  try {
    const connection = await connectGateway({ url, token: target.token, password: target.password }, {
      mode: "probe",
      displayName: "onboard:health",
      timeoutMs: PROBE_MS,
    });
    connection.close();
    return undefined;
  } catch (error) {
    // A refused connection is named as the reference names it; every other miss reads as its timeout.
    if (error instanceof GatewayTransportError && error.kind === "unreachable") return error.reason;
    return "timeout";
  }
}

/** Polls until the gateway answers or the deadline passes; the last probe's detail when it never did. */
async function waitReachable(url: string, target: HealthTarget): Promise<string | undefined> {
  const started = Date.now();
  let detail: string | undefined = "timeout";
  while (Date.now() - started < DEADLINE_MS) {
    detail = await probeOnce(url, target);
    if (detail === undefined) return undefined;
    const remaining = DEADLINE_MS - (Date.now() - started);
    if (remaining <= 0) break;
    await delay(Math.min(POLL_MS, remaining));
  }
  return detail;
}

/**
 * Runs the health step. Returns `{ reachable }` when setup may finish (`reachable: false` when an
 * explicitly skipped daemon left no gateway), or the exit code of a failed step.
 */
export async function onboardHealth(
  options: GlobalOptions & { json?: boolean },
  target: HealthTarget,
  daemonSkipped: boolean,
): Promise<{ reachable: boolean } | number> {
  const url = `ws://127.0.0.1:${target.gateway.port}`;
  const detail = await waitReachable(url, target);
  if (detail === undefined) {
    if (options.json) return { reachable: true };
    const code = await health({ ...options, port: String(target.gateway.port), ...secretFlags(target), json: false });
    if (code === 0) return { reachable: true };
    printError(
      `Gateway is reachable at ${url}, but the health check failed.\nRun \`openclaw health\` for full diagnostics.`,
    );
    return 1;
  }
  const refused = /\b(?:econnrefused|connection refused|connect refused)\b/i.test(detail);
  const absentAfterSkip = daemonSkipped && refused;
  if (absentAfterSkip && options.json) return { reachable: false };
  const lines = [
    `Gateway did not become reachable at ${url}.`,
    ...(refused ? ["Classification: not-listening"] : []),
    `Last probe: ${detail}`,
    "Non-interactive local setup only waits for an already-running gateway unless you pass `--install-daemon` to `openclaw onboard`.",
    "Fix: start `openclaw gateway run`, re-run `openclaw onboard --install-daemon`, or use `openclaw onboard --skip-health`.",
  ];
  if (absentAfterSkip) {
    printLine(
      "Setup complete; gateway was not installed or started because daemon installation was explicitly skipped.",
    );
    printLine(lines.join("\n"));
    return { reachable: false };
  }
  if (options.json) {
    printJson({
      ok: false,
      mode: "local",
      phase: "gateway-health",
      message: lines[0],
      ...(refused ? { classification: "not-listening" } : {}),
      detail,
      gateway: { wsUrl: url, httpUrl: `http://127.0.0.1:${target.gateway.port}/` },
      installDaemon: false,
      hints: lines.slice(-2),
    });
    return 1;
  }
  printError(lines.join("\n"));
  return 1;
}

function secretFlags(target: HealthTarget): { token?: string; password?: string } {
  if (target.password !== undefined) return { password: target.password };
  return target.token !== undefined ? { token: target.token } : {};
}
