// doctor's shell completion check, as the reference's (src/commands/doctor-completion.ts): a profile
// that still runs `openclaw completion` at every shell start is upgraded to the cached script, and a
// profile block whose cache file is gone gets the cache written again. A shell without completion is
// left alone: the reference only offers to install it at an interactive prompt.
import { pathExists } from "../config/paths.ts";
import { readTextIfExists, writeTextAtomic } from "../config/write.ts";
import {
  completionCachePath,
  completionProfilePath,
  type CompletionShell,
  profileHasCompletion,
  profileUsesSlowCompletion,
  shellFromEnv,
  updateProfile,
} from "./completion_profile.ts";
import type { DoctorContext, Finding } from "./doctor_checks.ts";

/** The completion findings for the shell `$SHELL` names (none when completion is not set up). */
export async function checkShellCompletion(ctx: DoctorContext): Promise<Finding[]> {
  const shell = shellFromEnv(ctx.env);
  const cachePath = completionCachePath(ctx.paths.stateDir, shell);
  const home = ctx.env.HOME || ctx.paths.home;
  const profile = completionProfilePath(shell, ctx.env, { home, exists: pathExists });
  const content = await readTextIfExists(profile);
  if (content === undefined) return [];
  const target = { shell, cachePath, home };
  const writeCache = ctx.writeCompletionCache;
  const cached = pathExists(cachePath);
  if (profileUsesSlowCompletion(content, target)) {
    return [{
      id: "shell-completion",
      severity: "warn",
      message: `Your ${shell} profile uses slow dynamic completion (source <(...)).`,
      fix: writeCache && {
        describe: `upgraded ${profile} to the cached completion script ${cachePath}`,
        run: async () => {
          if (!pathExists(cachePath)) await writeCache(shell);
          await rewriteProfile(profile, shell, cachePath, home);
        },
      },
    }];
  }
  if (profileHasCompletion(content, target) && !cached) {
    return [{
      id: "shell-completion",
      severity: "warn",
      message: `Shell completion is configured in your ${shell} profile but the cache is missing.`,
      fix: writeCache && {
        describe: `regenerated the completion cache at ${cachePath}`,
        run: () => writeCache(shell),
      },
    }];
  }
  return [];
}

async function rewriteProfile(profile: string, shell: CompletionShell, cachePath: string, home: string) {
  const current = await readTextIfExists(profile) ?? "";
  const update = updateProfile(current, { shell, cachePath, home });
  if (!update.changed) return;
  // The profile is the operator's file: keep its mode.
  await writeTextAtomic(profile, update.next, { mode: (await Deno.stat(profile)).mode! & 0o777 });
}
