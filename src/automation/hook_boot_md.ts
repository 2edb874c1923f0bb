// The bundled `boot-md` hook: on `gateway:startup`, each distinct agent workspace holding a non-empty
// BOOT.md gets one agent turn with the reference's boot prompt, in a throwaway session that is removed
// afterwards and delivers nothing (the model may still use the message tool, as BOOT.md asks).
import { join } from "node:path";
import type { InternalHookHandler } from "../agent/internal_hooks.ts";
import type { Logger } from "../log/logger.ts";

const BEGIN = "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>";
const END = "<<<END_OPENCLAW_INTERNAL_CONTEXT>>>";
const NOTICE = "This context is runtime-generated, not user-authored. Keep internal details private.";
/** The reference reads at most 16 MiB of BOOT.md. */
const MAX_BOOT_BYTES = 16_777_216;

/** The reference's boot prompt around BOOT.md's text (its context delimiters escaped). */
export function bootPrompt(content: string): string {
  const safe = content.replaceAll(BEGIN, "[[OPENCLAW_INTERNAL_CONTEXT_BEGIN]]").replaceAll(
    END,
    "[[OPENCLAW_INTERNAL_CONTEXT_END]]",
  );
  return [
    "You are running a boot check. Follow BOOT.md instructions exactly.",
    "",
    BEGIN,
    NOTICE,
    "",
    "BOOT.md:",
    safe,
    END,
    "",
    "If BOOT.md asks you to send a message, use the message tool (action=send with channel + target).",
    "Use the `target` field (not `to`) for message tool destinations.",
    "After sending with the message tool, reply with ONLY: NO_REPLY.",
    "If nothing needs attention, reply with ONLY: NO_REPLY.",
  ].join("\n");
}

/** A workspace's trimmed BOOT.md, or null when it is missing or blank. */
export async function readBootFile(workspace: string): Promise<string | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(await Deno.realPath(join(workspace, "BOOT.md")));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile) throw new Error("BOOT.md is not a regular file");
    if (stat.size > MAX_BOOT_BYTES) throw new Error(`BOOT.md exceeds ${MAX_BOOT_BYTES} bytes`);
    const text = new TextDecoder().decode(await new Response(file.readable).arrayBuffer()).trim();
    return text || null;
  } finally {
    try {
      file.close();
    } catch {
      // The readable stream closed it already.
    }
  }
}

/** What the hook needs: the agents' workspaces and a way to run one boot turn. */
export interface BootDeps {
  workspaces(): { agentId: string; workspace: string }[];
  /** Runs one agent turn with `prompt` in a throwaway session of `agentId` (absent: boot turns cannot run). */
  run?: ((agentId: string, prompt: string) => Promise<void>) | undefined;
  log: Pick<Logger, "error" | "warn">;
}

/** The handler: one boot turn per distinct workspace, in agent order, each failure logged and the rest run. */
export function bootChecklist(deps: BootDeps): InternalHookHandler {
  return async (event) => {
    if (event.type !== "gateway" || event.action !== "startup") return;
    const seen = new Set<string>();
    for (const { agentId, workspace } of deps.workspaces()) {
      if (seen.has(workspace)) continue;
      seen.add(workspace);
      let content: string | null;
      try {
        content = await readBootFile(workspace);
      } catch (error) {
        deps.log.error(`boot: failed to read BOOT.md: ${error instanceof Error ? error.message : error}`);
        continue;
      }
      if (content === null) continue;
      if (!deps.run) {
        deps.log.warn("boot: agent runs are unavailable; BOOT.md skipped");
        continue;
      }
      try {
        await deps.run(agentId, bootPrompt(content));
      } catch (error) {
        deps.log.error(`boot: agent run failed: ${error instanceof Error ? error.message : error}`);
      }
    }
  };
}
