// `/name [title]`: shows or sets the session's label from a chat, as the reference's command does (the same label
// `sessions.patch` and the session manager set), refusing an overlong title or one another session already has.
import type { SessionStore } from "../sessions/store.ts";

/** What naming a session needs: the store, and who to tell that a session changed. */
export interface NameCommandDeps {
  sessions: Pick<SessionStore, "get" | "list" | "ensure" | "update">;
  changed?: ((key: string, agentId: string, reason: string) => void) | undefined;
}

/** The reference's longest label (its `parseSessionLabel`). */
const MAX_LABEL_LENGTH = 512;

/** Runs `/name`: without a title, the current name and how to set one; with one, the rename or why not. */
export async function nameCommand(
  deps: NameCommandDeps,
  args: string,
  target: { agentId: string; sessionKey: string },
): Promise<string> {
  const { agentId, sessionKey } = target;
  const title = args.trim();
  if (!title) {
    const current = (await deps.sessions.get(sessionKey, agentId))?.label?.trim();
    return [
      current ? `Current session name: ${current}` : "This session has no custom name yet.",
      "Use /name <title> to set a name (mirrors the session manager).",
    ].join("\n");
  }
  if (title.length > MAX_LABEL_LENGTH) {
    return `Couldn't rename the session: invalid label: too long (max ${MAX_LABEL_LENGTH})`;
  }
  const rows = await deps.sessions.list([agentId]);
  if (rows.some((row) => row.key !== sessionKey && row.label === title)) {
    return `Couldn't rename the session: label already in use: ${title}`;
  }
  await deps.sessions.ensure(sessionKey, agentId);
  await deps.sessions.update(sessionKey, agentId, { label: title });
  deps.changed?.(sessionKey, agentId, "patch");
  return `✅ Session renamed to “${title}”.`;
}
