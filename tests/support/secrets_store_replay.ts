// Replaying the reference's `openclaw secrets store` recordings (tests/fixtures/secrets/) against our CLI:
// each case runs as the binary runs (bundle, compile flags, private HOME/state dir) from a working
// directory holding copies of the recorded input files, with stdin fed from the named file or empty, never a
// TTY, and a deadline per child so a command that waits on input fails the case instead of hanging.
import { ensureFreshBundle, programArgs, REPO_ROOT, RUNTIME_ENV } from "./spawn_gateway.ts";

/** The recordings folder. */
export const SECRETS_FIXTURES = `${REPO_ROOT}/tests/fixtures/secrets`;

/** One recorded command: argv after `openclaw`, the stdin file (or `-` for none) and what the reference returned. */
export interface StoreCliCase {
  label: string;
  args: string[];
  stdin: string;
  code: number;
  stdout: string;
  stderr: string;
}

/** The recorded cases in the order they ran, each with the stdin file `cases.sh` gave it. */
export function storeCliCases(): StoreCliCase[] {
  const recording = JSON.parse(Deno.readTextFileSync(`${SECRETS_FIXTURES}/store_cli_cases.json`)) as {
    cases: Omit<StoreCliCase, "stdin">[];
  };
  // `cases.sh` lines are `$R <label> <stdin|-> <args…>`; a case missing there (the first, run by hand) had none.
  const stdinByLabel = new Map<string, string>();
  for (const line of Deno.readTextFileSync(`${SECRETS_FIXTURES}/cases.sh`).split("\n")) {
    const words = line.trim().split(/\s+/);
    if (words[0] === "$R" && words[1] && words[2]) stdinByLabel.set(words[1], words[2]);
  }
  return recording.cases.map((c) => ({ ...c, stdin: stdinByLabel.get(c.label) ?? "-" }));
}

/** Where a replay runs: a private HOME/state dir and a working directory with the input files. */
export interface ReplayHome {
  home: string;
  stateDir: string;
  cwd: string;
  cleanup(): void;
}

/** Makes the replay's private directories and copies the recorded input files into its working directory. */
export function replayHome(): ReplayHome {
  const root = Deno.makeTempDirSync({ prefix: "oc-secrets-replay-" });
  const home = `${root}/home`;
  const stateDir = `${home}/state`;
  const cwd = `${root}/work`;
  Deno.mkdirSync(stateDir, { recursive: true });
  Deno.mkdirSync(cwd);
  for (const entry of Deno.readDirSync(SECRETS_FIXTURES)) {
    if (entry.isFile && /\.(env|txt)$/.test(entry.name)) {
      Deno.copyFileSync(`${SECRETS_FIXTURES}/${entry.name}`, `${cwd}/${entry.name}`);
    }
  }
  return { home, stateDir, cwd, cleanup: () => Deno.removeSync(root, { recursive: true }) };
}

/** Runs one case's command to completion (killed after `timeoutMs`) and returns its exact exit code and output. */
export async function runStoreCase(
  c: StoreCliCase,
  where: ReplayHome,
  timeoutMs = 30_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  ensureFreshBundle();
  const realHome = Deno.env.get("HOME") ?? "/root";
  const child = new Deno.Command(Deno.execPath(), {
    args: [...programArgs(), ...c.args],
    cwd: where.cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: where.home,
      OPENCLAW_STATE_DIR: where.stateDir,
      OPENCLAW_CONFIG_PATH: `${where.stateDir}/openclaw.json`,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${realHome}/.cache/deno`,
      NO_COLOR: "1",
      ...RUNTIME_ENV,
      CI: "true",
    },
    stdin: c.stdin === "-" ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  }, timeoutMs);
  try {
    if (c.stdin !== "-") {
      const writer = child.stdin.getWriter();
      await writer.write(await Deno.readFile(`${where.cwd}/${c.stdin}`));
      await writer.close();
    }
    const output = await child.output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Output with the recorded clock removed: `updatedAtMs`/`createdAtMs` are the time a row was written, which a
 * replay cannot reproduce; every other byte is compared as printed.
 */
export function withoutTimestamps(text: string): string {
  return text.replace(/"(updatedAtMs|createdAtMs)": \d+/g, '"$1": 0');
}
