// The state dir a command reads and writes: the options' profile and `--dev`, and the environment
// (OPENCLAW_STATE_DIR, HOME), read here at the command's edge.
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";

/** The state dir for these options and this process's environment. */
export function stateDirOf(options: GlobalOptions): string {
  const env: EnvSnapshot = Deno.env.toObject();
  return resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists }).stateDir;
}
