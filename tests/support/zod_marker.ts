// Whether a program run loaded zod: a copy of the bundle whose zod chunk, when evaluated, leaves a
// file named after the process id in a marker directory. The copy is otherwise byte for byte the
// bundle the binary embeds (tests/support/spawn_gateway.ts builds it when stale).
import { BUNDLE_DIR } from "../../tools/bundle.ts";
import { ensureFreshBundle, OpenclawProcess, RUNTIME_ENV } from "./spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";

/** A marked copy of the bundle: `dir` to run, `loadedZod(pid)` to ask, `cleanup()` to remove both. */
export interface MarkedBundle {
  dir: string;
  loadedZod(pid: number): boolean;
  cleanup(): Promise<void>;
}

/** Copies dist/bundle with zod's chunk marked. */
export async function markedBundle(): Promise<MarkedBundle> {
  ensureFreshBundle();
  const dir = await Deno.makeTempDir({ prefix: "oc-zod-marked-" });
  const markers = `${dir}/markers`;
  await Deno.mkdir(markers);
  let marked = 0;
  for await (const entry of Deno.readDir(BUNDLE_DIR)) {
    let text = await Deno.readTextFile(`${BUNDLE_DIR}/${entry.name}`);
    // zod's core: the one chunk defining its object schema.
    if (text.includes('"$ZodObject"')) {
      text = `Deno.writeTextFileSync(${JSON.stringify(markers)} + "/" + Deno.pid, "");\n${text}`;
      marked++;
    }
    await Deno.writeTextFile(`${dir}/${entry.name}`, text);
  }
  if (marked !== 1) throw new Error(`expected one zod chunk in the bundle, found ${marked}`);
  return {
    dir,
    loadedZod: (pid) => {
      try {
        Deno.statSync(`${markers}/${pid}`);
        return true;
      } catch {
        return false;
      }
    },
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Starts `openclaw <args>` from the marked bundle as spawn_gateway.ts starts the real one (flags, private HOME, foreign cwd). */
export function spawnMarked(bundle: MarkedBundle, args: string[], home: string): OpenclawProcess {
  const realHome = Deno.env.get("HOME") ?? "/root";
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", ...compileRunFlags(), "--quiet", "--no-config", `${bundle.dir}/main.js`, ...args],
    cwd: home,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${realHome}/.cache/deno`,
      NO_COLOR: "1",
      ...RUNTIME_ENV,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  return new OpenclawProcess(command.spawn());
}
