// The reference OpenClaw 2026.9.6, a compatibility client in tests (never shipped): installed by
// tools/peer_install.sh (which .ci/run calls) under /tmp/peer, run on its own Node 24.
import { REPO_ROOT } from "./spawn_gateway.ts";

/** Where tools/peer_install.sh puts the reference. */
export const PEER_ROOT = "/tmp/peer";
/** The reference package's own directory (its dist/, docs/ and Control UI). */
export const PEER_PACKAGE = `${PEER_ROOT}/oc/node_modules/openclaw`;
/** The reference CLI's entry point. */
export const PEER_OPENCLAW = `${PEER_ROOT}/oc/node_modules/.bin/openclaw`;
/** The directory holding the `node` 24 binary the reference runs on. */
export const PEER_NODE_BIN = `${PEER_ROOT}/node24/node_modules/.bin`;

/** Throws, naming the fix, when the reference is not installed; call it at the top of a test. */
export function requirePeer(): void {
  try {
    Deno.statSync(PEER_OPENCLAW);
    Deno.statSync(`${PEER_NODE_BIN}/node`);
  } catch {
    throw new Error(
      `the reference OpenClaw 2026.9.6 is not installed at ${PEER_ROOT}: run bash ${REPO_ROOT}/tools/peer_install.sh`,
    );
  }
}

/** An isolated home for the reference: its HOME, state dir and config path. */
export interface PeerHome {
  home: string;
  stateDir: string;
  configPath: string;
}

/** The environment the reference runs with: its own Node first on PATH and an isolated home. */
export function peerEnv(where: PeerHome, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${PEER_NODE_BIN}:/usr/local/bin:/usr/bin:/bin`,
    HOME: where.home,
    OPENCLAW_STATE_DIR: where.stateDir,
    OPENCLAW_CONFIG_PATH: where.configPath,
    NO_COLOR: "1",
    CI: "true",
    ...extra,
  };
}

/** Starts the reference CLI with `args`; the caller stops it (by its PID) or awaits its output. */
export function spawnPeer(args: string[], where: PeerHome, extra: Record<string, string> = {}): Deno.ChildProcess {
  requirePeer();
  return new Deno.Command(PEER_OPENCLAW, {
    args,
    env: peerEnv(where, extra),
    clearEnv: true,
    cwd: where.home,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs the reference CLI to completion: exit code and both outputs. */
export async function runPeer(
  args: string[],
  where: PeerHome,
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await spawnPeer(args, where, extra).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}
