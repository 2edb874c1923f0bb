import { type ChatCommandDeps, resetArguments, runChatCommand } from "../agent/chat_command_run.ts";
import { resolveSendPolicy } from "../sessions/send_policy.ts";
import { decideCommand, parseChatCommand } from "../agent/chat_commands.ts";
import { channelCommandSender } from "../agent/command_access.ts";
import type { AgentRuns } from "../agent/runs.ts";
import type { InternalHookEmitter } from "../agent/internal_hooks.ts";
import type { InboundHookFacts } from "../agent/message_hook_context.ts";
import { emitMessagePreprocessed, emitMessageReceived, emitMessageSent } from "../agent/message_hook_emit.ts";
import { PAIRING_TTL_MS, type PairingStore } from "../state/pairing_store.ts";
import type { ResolvedConfig } from "../config/resolve.ts";
import type { Logger } from "../log/logger.ts";
import { type AccessPolicy, decideAccess, groupSenderListed } from "./access.ts";
import { accountKey, type AccountPool, type RunningAccount } from "./account_pool.ts";
import { accessPolicy } from "./accounts.ts";
import { sendAnswerFiles } from "./answer_files.ts";
import type { ChannelKind } from "./catalog.ts";
import { blockStreamer, chunkText } from "./chunk.ts";
import type { InboundDisposition } from "./durable_inbound.ts";
import { messageOf } from "./errors.ts";
import type { OutboundFiles } from "./media_delivery.ts";
import { mediaLineFilter } from "../media/media_lines.ts";
import { pairingReply } from "./pairing_reply.ts";
import { startTypingLoop, systemTypingClock, type TypingClock, type TypingLoop, typingPlan } from "./typing.ts";
import { usageFooter } from "./usage_footer.ts";
import { routeInbound } from "./routing.ts";
import type { ChannelAccount, InboundMessage } from "./types.ts";
import { type MediaUnderstanding, prepareInboundMedia } from "./inbound_media.ts";

/** What answering inbound messages needs from the gateway. */
export interface InboundDeps {
  pool: AccountPool;
  pairing: PairingStore;
  /** The config in force (bindings and session scopes are read per message). */
  config(): Pick<ResolvedConfig, "bindings" | "session"> & Partial<Pick<ResolvedConfig, "commands">>;
  defaultAgentId(): string;
  runs: AgentRuns;
  log: Logger;
  /** Checks and reads the files an answer names with `MEDIA:` lines; without it they are refused. */
  files?: OutboundFiles | undefined;
  /** Slash commands (`/new`, `/stop`, `/model`, ...): answered by the gateway when given. */
  commands?: ChatCommandDeps | undefined;
  /** Whether the gateway is stopping: a run it aborts is answered again, in full, after the restart. */
  stopping?(): boolean;
  /** What the files a message carries become (images, transcripts); absent: only their text reaches the run. */
  media?: MediaUnderstanding | undefined;
  /** Internal hooks: `message:received`, `message:preprocessed` (`transcribed`) and `message:sent` are observed. */
  hooks?: InternalHookEmitter | undefined;
  /** The config as written: the `cfg` of the hook contexts that carry it. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
  /**
   * A session's own settings (`sessions.patch`): `sendPolicy` "deny" keeps its replies from the chat,
   * `groupActivation` decides a group's mention gate, `responseUsage` adds a usage footer. Absent: none kept.
   */
  sessionSettings?(
    sessionKey: string,
    agentId: string,
  ): Promise<
    | { sendPolicy?: string | undefined; groupActivation?: string | undefined; responseUsage?: string | undefined }
    | undefined
  >;
  /** The timers of typing indicators (typing.ts); absent: the real ones. */
  typingClock?: TypingClock | undefined;
}

/** An admitted channel message as the `message:*` hooks describe it. */
export function channelHookFacts(message: InboundMessage): InboundHookFacts {
  const isGroup = message.peerKind !== "direct";
  const to = `${message.channel}:${message.replyTo}`;
  return {
    from: isGroup ? to : `${message.channel}:${message.senderId}`,
    to,
    content: message.text,
    channelId: message.channel,
    accountId: message.accountId,
    conversationId: to,
    messageId: message.messageId,
    senderId: message.senderId,
    senderName: message.senderName,
    threadId: message.threadId,
    isGroup,
    groupId: isGroup ? to : undefined,
    channelName: isGroup ? message.groupId : undefined,
    media: message.media?.map((file) => ({ path: file.path, contentType: file.mimeType, kind: file.kind })),
  };
}

/**
 * The handler for messages the accounts receive: gates each one (DM pairing or allowlist, group
 * allowlist and mention), answers an unknown DM sender with a pairing code, and routes admitted
 * ones to an agent session whose answer streams back in chunks the network accepts.
 */
export function inboundHandler(
  deps: InboundDeps,
): (kind: ChannelKind, message: InboundMessage, stored?: Record<string, unknown>) => Promise<InboundDisposition> {
  const { pool, pairing, log } = deps;

  const routeOf = (message: InboundMessage) => {
    const config = deps.config();
    return routeInbound(message, {
      bindings: config.bindings,
      session: config.session,
      defaultAgentId: deps.defaultAgentId(),
    });
  };

  /** Who sent `message`, as the command rules see them (`commands.allowFrom`, `commands.ownerAllowFrom`). */
  const commandSenderOf = (message: InboundMessage) => ({
    ...channelCommandSender(
      { channel: message.channel, ids: [message.senderId, ...message.senderAliases] },
      deps.config().commands ?? { ownerAllowFrom: [] },
    ),
    inGroup: message.peerKind !== "direct",
  });

  /**
   * The reference's command bypass of a group's mention gate: a message that is one of our chat commands, addressed to
   * no other bot (`/new@otherbot`) and mentioning nobody, from a sender the group's allowlist names (or
   * `commands.allowFrom`, or the owner) and whose command would run, is answered without the bot being mentioned, so
   * `/activation always` or `/status` work in a group that needs a mention. An open group's unlisted members still
   * need the mention, as in the reference.
   */
  const commandBypassesMention = (message: InboundMessage, policy: AccessPolicy) => {
    const text = message.text.trim();
    if (!deps.commands || /^\/[^\s:@]+@/.test(text) || /(^|\s)@\w|<@/.test(text)) return false;
    const command = parseChatCommand(text);
    if (!command) return false;
    const sender = commandSenderOf(message);
    const listed = sender.isOwner ||
      (deps.config().commands?.allowFrom ? sender.authorized : groupSenderListed(policy, message));
    return listed && decideCommand(command, sender).action !== "ignore";
  };

  /** Whether the session's own send policy or `session.sendPolicy`'s rules keep replies to `message` off its chat. */
  const sendDenied = async (route: { sessionKey: string; agentId: string }, message: InboundMessage) => {
    const override = (await deps.sessionSettings?.(route.sessionKey, route.agentId))?.sendPolicy;
    const policy = deps.config().session?.sendPolicy;
    const input = { policy, override, sessionKey: route.sessionKey, channel: message.channel };
    return resolveSendPolicy({ ...input, chatType: message.peerKind }) === "deny";
  };

  async function answer(running: RunningAccount, message: InboundMessage): Promise<InboundDisposition> {
    const route = routeOf(message);
    const account = running.account;
    const facts = channelHookFacts(message);
    emitMessageReceived(deps.hooks, route.sessionKey, facts);
    // One `message:sent` per reply (a command's answer, a run's whole answer), as the reference reports payloads.
    const observeSent = (content: string, error: string | undefined) =>
      emitMessageSent(deps.hooks, route.sessionKey, {
        to: facts.conversationId,
        content,
        success: error === undefined,
        error,
        channelId: message.channel,
        accountId: message.accountId,
        isGroup: facts.isGroup,
        groupId: facts.groupId,
      });
    // A file that could not be kept is said so at once (the reference's words), unless the session's send
    // policy keeps its replies off the chat; its text, if any, still runs.
    if (message.mediaRefused) {
      const quiet = await sendDenied(route, message);
      if (!quiet) {
        await account.send(message.replyTo, message.mediaRefused).catch((error) =>
          log.warn(`${message.channel}: reply to ${message.replyTo} failed: ${messageOf(error)}`)
        );
      }
      if (!message.text && !message.media?.length) return "done";
    }
    const sender = commandSenderOf(message);
    const command = deps.commands ? parseChatCommand(message.text) : undefined;
    let body = message.text;
    if (command && deps.commands) {
      // Admitted by the channel (allowlist or pairing) or by `commands.allowFrom`; the owner by `commands.ownerAllowFrom`.
      const decision = decideCommand(command, sender);
      if (decision.action !== "ignore") {
        emitMessagePreprocessed(deps.hooks, route.sessionKey, facts, deps.rawConfig?.());
        const reply = decision.action === "refuse" ? decision.reply : await runChatCommand(deps.commands, command, {
          agentId: route.agentId,
          sessionKey: route.sessionKey,
          sender: {
            channel: message.channel,
            senderId: message.senderId,
            chat: message.replyTo,
            username: message.senderUsername,
            groupId: message.groupId,
            threadId: message.threadId,
          },
          hookReply: async (text) => {
            try {
              for (const piece of chunkText(text, account.textChunkLimit)) await account.send(message.replyTo, piece);
              observeSent(text, undefined);
              return true;
            } catch (error) {
              observeSent(text, messageOf(error));
              log.warn(`${message.channel}: hook reply to ${message.replyTo} failed: ${messageOf(error)}`);
              return false;
            }
          },
        });
        log.info(`${message.channel}: command /${command.key} from ${message.senderId} on ${route.sessionKey}`);
        if (reply) {
          try {
            for (const piece of chunkText(reply, account.textChunkLimit)) await account.send(message.replyTo, piece);
            observeSent(reply, undefined);
          } catch (error) {
            observeSent(reply, messageOf(error));
            throw error;
          }
        }
        // `/new <text>` and `/reset <text>`: after the reset, the text runs on the fresh session.
        const followUp = decision.action === "run" && (command.key === "new" || command.key === "reset")
          ? resetArguments(deps.commands, command.args, route.agentId).followUp
          : "";
        if (!followUp) return "done";
        body = followUp;
      }
    }
    // The session's send policy "deny" (the reference's `/send off`): the run goes on, its reply stays off the chat.
    const denied = await sendDenied(route, message);
    // Sends go out strictly in order, each after the previous one was accepted.
    let sending: Promise<unknown> = Promise.resolve();
    let sendError: string | undefined;
    const deliver = (piece: string) => {
      if (denied) return;
      sending = sending.then(() => account.send(message.replyTo, piece)).catch((error) => {
        sendError ??= messageOf(error);
        log.warn(`${message.channel}: reply to ${message.replyTo} failed: ${messageOf(error)}`);
      });
    };
    // `MEDIA:` lines are taken out of the streamed text (into the streamer below); their files go after it.
    const mediaLines = mediaLineFilter((piece) => streamer.push(piece));
    const streamer = blockStreamer({ limit: account.textChunkLimit, breakOn: account.streamBreak }, deliver);
    const prepared = message.media?.length && deps.media
      ? await prepareInboundMedia(body, message.media, route.agentId, deps.media)
      : { text: body, images: [] };
    emitMessagePreprocessed(deps.hooks, route.sessionKey, {
      ...facts,
      content: body,
      bodyForAgent: prepared.text,
      transcript: prepared.transcript,
    }, deps.rawConfig?.());
    if (prepared.echo) deliver(prepared.echo);
    const text = message.peerKind === "direct" ? prepared.text : `${message.senderName}: ${prepared.text}`;
    // Set once the run is accepted, below; declared first since the run's deltas reach it.
    // deno-lint-ignore prefer-const
    let typing: TypingLoop | undefined;
    const started = deps.runs.start({
      agentId: route.agentId,
      sessionKey: route.sessionKey,
      message: text,
      ...(prepared.images.length > 0 ? { images: prepared.images } : {}),
      idempotencyKey: `${message.channel}:${message.accountId}:${message.messageId}`,
      senderIsOwner: sender.isOwner,
      // Where the answer goes: the `message` tool's default target.
      origin: {
        channel: message.channel,
        accountId: message.accountId,
        // The reference records a Telegram chat with its channel prefix (`telegram:<chat>[:topic:<id>]`).
        to: message.channel === "telegram" ? `telegram:${message.replyTo}` : message.replyTo,
        from: message.senderId,
        chatType: message.peerKind,
        // The route keeps the thread; a Telegram topic id is a number there, as the reference records it.
        ...(message.threadId !== undefined
          ? { threadId: message.channel === "telegram" ? Number(message.threadId) : message.threadId }
          : {}),
      },
      onDelta: (delta) => {
        typing?.activity();
        mediaLines.push(delta);
      },
    });
    if (started.kind !== "accepted") return "done";
    // "typing…" while the run works (a denied session's chat sees none), stopped before its last pieces go out.
    typing = account.sendTyping && !denied ? typingFor(account, message, route.agentId) : undefined;
    const outcome = await started.done.finally(() => typing?.stop());
    if (outcome.status === "aborted" && deps.stopping?.()) {
      // The queue keeps the message and the next start answers it in full: its cut-off tail is not sent now.
      await sending;
      return "interrupted";
    }
    const references = mediaLines.end();
    // The footer is read when the answer is complete, as the reference reads the session then (a `/usage` meanwhile counts).
    const footer = outcome.status === "ok"
      ? usageFooter((await deps.sessionSettings?.(route.sessionKey, route.agentId))?.responseUsage, outcome.usage)
      : undefined;
    const footerText = footer ? (outcome.text.endsWith("\n") || !outcome.text ? footer : `\n${footer}`) : "";
    if (footerText) streamer.push(footerText);
    streamer.end();
    if (outcome.status === "error") deliver(`⚠️ The agent could not answer: ${outcome.error}`);
    // The reference sends it before the answer, which it holds back until complete; ours has streamed by now.
    if (outcome.fallbackNotice) deliver(outcome.fallbackNotice);
    await sending;
    const answered = outcome.status === "error"
      ? `⚠️ The agent could not answer: ${outcome.error}`
      : outcome.text + footerText;
    if (answered.trim() && !denied) observeSent(answered, sendError);
    if (references.length > 0 && !denied) {
      await sendAnswerFiles(deps, { account, message, agentId: route.agentId, references, voice: mediaLines.voice });
    }
    // An aborted run is answered again after a restart when the gateway's stop aborted it (the queue decides).
    return outcome.status === "aborted" ? "interrupted" : "done";
  }

  const typingFor = (account: ChannelAccount, message: InboundMessage, agentId: string) => {
    const plan = typingPlan(deps.rawConfig?.(), agentId, {
      direct: message.peerKind === "direct",
      mentioned: message.mentioned,
    });
    if (plan.start === "never") return undefined;
    return startTypingLoop({
      plan,
      send: () => account.sendTyping!(message.replyTo, message.threadId),
      onError: (error) => log.debug(`${message.channel}: typing in ${message.replyTo} failed: ${messageOf(error)}`),
      clock: deps.typingClock ?? systemTypingClock(),
    });
  };

  const groupActivation = async (message: InboundMessage) => {
    if (!deps.sessionSettings) return undefined;
    const route = routeOf(message);
    return (await deps.sessionSettings(route.sessionKey, route.agentId))?.groupActivation;
  };

  return async (kind, received, stored) => {
    const running = pool.running(received.channel, received.accountId);
    const declared = pool.declared(kind, received.accountId);
    // An account stopping or restarting cannot answer: the message waits for it to be ready again.
    if (!running || !declared) return "account-down";
    // The channel's own gate, on what it stored unchecked (Discord's guild rules, its own and bots' messages).
    const message = running.account.admit ? await running.account.admit(received, stored) : received;
    if (!message) return "done";
    const policy = accessPolicy(declared.settings, pool.defaults(), kind.normalizeAllowEntry);
    try {
      const paired = message.peerKind === "direct" && policy.dmPolicy === "pairing"
        ? await pairing.allowed(message.channel, message.accountId)
        : [];
      // A group session's own activation decides its mention gate: asked only for an unmentioned group message
      // the rest of the policy admits, so messages dropped for their group or sender cost no session read.
      let decision = decideAccess(policy, message, paired);
      const gated = decision.action === "run" || (decision.action === "drop" && decision.reason === "missing-mention");
      if (message.peerKind !== "direct" && !message.mentioned && gated) {
        decision = decideAccess(policy, message, paired, await groupActivation(message));
        if (
          decision.action === "drop" && decision.reason === "missing-mention" && commandBypassesMention(message, policy)
        ) {
          decision = { action: "run" };
        }
      }
      if (decision.action === "drop") {
        const where = message.peerKind === "direct" ? "dm" : `${message.peerKind} ${message.groupId}`;
        log.info(`${message.channel}: drop ${where} sender ${message.senderId} (${decision.reason})`);
        return "done";
      }
      if (decision.action === "pair") {
        const { created, code } = await pairing.upsert(message.channel, {
          id: message.senderId,
          accountId: message.accountId,
          meta: { senderId: message.senderId, name: message.senderName, accountId: message.accountId },
        });
        log.info(
          `${message.channel} pairing request from ${message.senderId} (${
            created ? "new; code sent" : "already pending or at the cap; no reply"
          }, expires in ${PAIRING_TTL_MS / 60_000} min)`,
        );
        if (created && code) {
          await running.account.send(
            message.replyTo,
            pairingReply(kind.id, kind.pairingIdLine(message.senderId), code),
          );
        }
        return "done";
      }
      // Files are fetched only now, for a sender the gate admitted (a replay fetches them again).
      const hydrated = running.account.hydrate ? await running.account.hydrate(message, stored) : message;
      return await answer(running, hydrated);
    } catch (error) {
      const key = accountKey(message.channel, message.accountId);
      log.error(`${key}: handling a message from ${message.senderId} failed: ${messageOf(error)}`);
      return "done";
    }
  };
}
