import { ChannelError } from "../errors.ts";

/** Where a Slack send goes: a conversation (channel, group, DM) or a user (a DM opened for them), maybe a thread. */
export type SlackTarget =
  | { kind: "channel"; id: string; threadTs: string | undefined }
  | { kind: "user"; id: string; threadTs: string | undefined };

/**
 * Reads a target as the reference writes them: `channel:C…`, `user:U…`, `<@U…>`, `<#C…|name>`, `slack:…`, or a bare
 * id (`C…`/`G…`/`D…` a conversation, `U…`/`W…` a user); `:thread:<ts>` after it sends into that thread.
 */
export function parseSlackTarget(target: string): SlackTarget {
  let rest = target.trim().replace(/^slack:/i, "");
  let threadTs: string | undefined;
  const thread = /^(.*):thread:(\d+\.\d+)$/.exec(rest);
  if (thread) {
    rest = thread[1]!;
    threadTs = thread[2];
  }
  const channel = /^channel:([A-Z0-9]+)$/i.exec(rest)?.[1] ?? /^<#([A-Z0-9]+)(\|[^>]*)?>$/i.exec(rest)?.[1] ??
    /^#?([CGD][A-Z0-9]{2,})$/.exec(rest)?.[1];
  if (channel) return { kind: "channel", id: channel.toUpperCase(), threadTs };
  const user = /^user:([A-Z0-9]+)$/i.exec(rest)?.[1] ?? /^<@([A-Z0-9]+)(\|[^>]*)?>$/i.exec(rest)?.[1] ??
    /^@?([UW][A-Z0-9]{2,})$/.exec(rest)?.[1];
  if (user) return { kind: "user", id: user.toUpperCase(), threadTs };
  throw new ChannelError(
    "invalid",
    `"${target}" is not a Slack target: use channel:<id> (C…) for a channel or user:<id> (U…) for a DM`,
  );
}
