// `deno task docs:check`: runs every ```sh runnable block of README.md and docs/*.md against a
// temporary gateway (private HOME, free port), with `openclaw` bound to this program as the binary
// runs it (the bundle, which spawnOpenclaw has just rebuilt if it was stale). A block
// passes when it exits 0. tests/integration/docs_check_test.ts runs it in the suite.
import { freePort, programArgs, REPO_ROOT, spawnOpenclaw, tempHome } from "../tests/support/spawn_gateway.ts";

/** One runnable snippet and where it is. */
export interface Snippet {
  file: string;
  line: number;
  code: string;
}

/** Extracts the ```sh runnable blocks of a markdown text. */
export function runnableSnippets(file: string, text: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "```sh runnable") continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === "```");
    out.push({ file, line: i + 1, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return out;
}

/** Runs every runnable snippet; returns one message per failure (empty when all pass). */
export async function runDocsCheck(): Promise<{ ran: number; failures: string[] }> {
  const files = [
    "README.md",
    ...(await Array.fromAsync(Deno.readDir(`${REPO_ROOT}/docs`)))
      .filter((e) => e.isFile && e.name.endsWith(".md")).map((e) => `docs/${e.name}`),
  ];
  const snippets = (await Promise.all(
    files.map(async (file) => runnableSnippets(file, await Deno.readTextFile(`${REPO_ROOT}/${file}`))),
  )).flat();
  const home = await tempHome();
  const port = freePort();
  const env = { OPENCLAW_GATEWAY_PORT: String(port) };
  const setup = await spawnOpenclaw(["setup"], { home: home.home, env });
  if (await setup.exited() !== 0) throw new Error(`setup failed:\n${setup.output}`);
  const gateway = await spawnOpenclaw(["gateway"], { home: home.home, env });
  const failures: string[] = [];
  try {
    await gateway.waitForLine(/listening on/);
    const prelude = `set -euo pipefail\nopenclaw() { "${Deno.execPath()}" ${programArgs().join(" ")} "$@"; }\n`;
    for (const snippet of snippets) {
      const out = await new Deno.Command("bash", {
        args: ["-c", prelude + snippet.code],
        env: {
          HOME: home.home,
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
          NO_COLOR: "1",
          // No check for a newer Deno: the binary's runtime makes none, and the examples run on loopback only.
          DENO_NO_UPDATE_CHECK: "1",
          ...env,
        },
        clearEnv: true,
        cwd: home.home,
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!out.success) {
        failures.push(
          `${snippet.file}:${snippet.line} exited ${out.code}\n${new TextDecoder().decode(out.stdout)}${
            new TextDecoder().decode(out.stderr)
          }`,
        );
      }
    }
  } finally {
    gateway.kill("SIGTERM");
    await gateway.exited();
    await home.cleanup();
  }
  return { ran: snippets.length, failures };
}

if (import.meta.main) {
  const { ran, failures } = await runDocsCheck();
  for (const failure of failures) Deno.stderr.writeSync(new TextEncoder().encode(`${failure}\n`));
  Deno.stdout.writeSync(
    new TextEncoder().encode(`docs:check: ${ran - failures.length} passed, ${failures.length} failed\n`),
  );
  if (failures.length > 0) Deno.exit(1);
}
