import { PERMISSION_FLAGS, RUNTIME_FLAGS, V8_FLAGS } from "./run_flags.ts";

/** How this program was started, which decides what a unit must run. */
export interface ProgramLocation {
  /** `Deno.execPath()`: the deno binary, or the compiled `openclaw` binary itself. */
  execPath: string;
  /** `Deno.mainModule`: `file:///…/main.ts` from source, `file:///…/dist/bundle/main.js` from the bundle. */
  mainModule: string;
}

/** True when the program is a `deno compile` binary rather than `deno run` of the source. */
export function isCompiled(location: ProgramLocation): boolean {
  const name = location.execPath.slice(location.execPath.lastIndexOf("/") + 1);
  return name !== "deno" && name !== "deno.exe";
}

/**
 * The argv a service must run: the compiled binary as it is, or `deno run` with the exact
 * permission and V8 flags, by absolute paths, so the unit works from any working directory: the
 * source tree with its deno.json (the import map), the bundle with no config (it carries its
 * packages). The port is pinned; secrets are never part of it.
 */
export function gatewayCommand(
  location: ProgramLocation,
  options: { port: number; allowUnconfigured?: boolean },
): string[] {
  const tail = [
    "gateway",
    "run",
    "--port",
    String(options.port),
    ...(options.allowUnconfigured ? ["--allow-unconfigured"] : []),
  ];
  if (isCompiled(location)) return [location.execPath, ...tail];
  const main = new URL(location.mainModule).pathname;
  const root = main.slice(0, main.lastIndexOf("/"));
  const config = main.endsWith(".ts") ? `--config=${root}/deno.json` : "--no-config";
  return [
    location.execPath,
    "run",
    ...PERMISSION_FLAGS,
    ...V8_FLAGS,
    ...RUNTIME_FLAGS,
    "--quiet",
    config,
    main,
    ...tail,
  ];
}
