import { isJsonObject } from "../log/json_object.ts";
import type { DatabaseSync } from "node:sqlite";
import type { Logger } from "../log/logger.ts";
import { accountKey } from "./account_pool.ts";
import type { ChannelKind } from "./catalog.ts";
import { messageOf } from "./errors.ts";
import { type IngressClaim, IngressQueue, type IngressQueueName } from "./ingress_queue.ts";
import type { InboundMessage, InboundReceipt, ReplayRules } from "./types.ts";

/**
 * How handling a message ended: answered (or refused, or dropped by policy); its run aborted (by the gateway's
 * stop, or by `/stop`); or not handled at all because its account was not running (being restarted by a reload).
 */
export type InboundDisposition = "done" | "interrupted" | "account-down";

/** What the durable inbound queue needs from the gateway. */
export interface DurableInboundDeps {
  /** The state database (`state/openclaw.sqlite`); opened on the first message, never at start. */
  open(): Promise<DatabaseSync>;
  /** Answers one message (`stored`: its queue row's payload); resolves with how that ended. */
  handle(
    kind: ChannelKind,
    message: InboundMessage,
    stored?: Record<string, unknown>,
  ): Promise<InboundDisposition>;
  log: Logger;
  /** The clock (tests move it); `Date.now` by default. */
  now?: () => number;
}

/** How often an account's queue drops old tombstones while the gateway runs (the reference prunes hourly). */
export const INGRESS_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Channels whose queue the reference prunes on every stored message rather than hourly, and keeps more rows of
 * (its Discord monitor: `pruneIntervalMs: 0`, 5,000 completed and 5,000 failed).
 */
const PRUNED_ON_RECEIPT: Readonly<Record<string, number>> = { discord: 5000 };

/**
 * This process in `claim_owner`, in the reference's `<pid>:<start time>:<instance>` form. The start time (clock
 * ticks from /proc/self/stat) is unknown, `x` as the reference writes it then: Deno lets only `--allow-all` programs
 * read /proc/self. The reference then checks only that the pid lives; a made-up number would not match the process's
 * start time and the reference would take a live gateway's claims as a dead one's. After a SIGKILL the pid is gone
 * and the reference takes the claim over.
 */
function claimOwner(): string {
  return `${Deno.pid}:x:${crypto.randomUUID()}`;
}

/** What the queue keeps of a message: the normalized message, and the transport's own event beside it. */
interface StoredPayload {
  message: InboundMessage;
  [raw: string]: unknown;
}

/** Why a kept row is not answered: `failed_reason` and what the log and `last_error` say. */
const UNREADABLE = ["unreadable_payload", "no message in the stored payload"] as const;
const STALE_DM = ["stale_direct_peer", "a direct message from an earlier connection"] as const;

/** A kept DM from another IRC connection: not answered, as the nick may belong to someone else now. */
function isStaleDirect(message: InboundMessage, eventId: string, rules: ReplayRules): boolean {
  return rules.connection !== undefined && message.peerKind === "direct" &&
    !eventId.startsWith(`${rules.connection}-`);
}

/** A kept row's payload as a record, for the channel's own gate. */
function storedRecord(payload: unknown): Record<string, unknown> | undefined {
  return isJsonObject(payload) ? payload : undefined;
}

/** The message a kept row holds: ours carry it; one the reference wrote holds only the transport's event. */
function storedMessage(payload: unknown, rules: ReplayRules): InboundMessage | undefined {
  if (!isJsonObject(payload)) return undefined;
  const message = payload.message;
  // Our own rows carry the normalized message we wrote; its text is the field every reader needs.
  if (message && typeof message === "object" && typeof (message as { text?: unknown }).text === "string") {
    return message as InboundMessage;
  }
  return rules.decode?.(payload);
}

/**
 * Inbound messages made durable, as the reference's channel ingress queue does: a message is written to
 * `channel_ingress_events` before the account acknowledges it to its network (Telegram's offset, a webhook's
 * 200) and before anyone answers it; answered, it becomes a tombstone that rejects a redelivery of the same
 * event. A message whose answer the gateway's stop cut off, or that a crash left claimed, is answered when
 * its account is next ready, once.
 */
export class DurableInbound {
  #deps: DurableInboundDeps;
  #queue: Promise<IngressQueue> | undefined;
  /** Claims this process holds now: a row claimed under any other token was left by an earlier process. */
  #live = new Set<string>();
  #inflight = new Set<Promise<void>>();
  #draining = false;
  /** When each account's queue was last pruned: a long-running gateway keeps its table bounded. */
  #prunedAt = new Map<string, number>();
  /** Answered messages whose row could not be settled (the database was locked): retried, never answered again. */
  #unsettled = new Map<string, { key: string; write: () => void }>();
  /** Accounts whose replay failed (the database was unavailable): retried when their next message is stored. */
  #owed = new Map<string, { kind: ChannelKind; rules: ReplayRules }>();

  constructor(deps: DurableInboundDeps) {
    this.#deps = deps;
  }

  #open(): Promise<IngressQueue> {
    if (!this.#queue) {
      const opening = this.#deps.open().then((db) =>
        new IngressQueue(db, { owner: claimOwner(), ...(this.#deps.now ? { now: this.#deps.now } : {}) })
      );
      opening.catch(() => {
        if (this.#queue === opening) this.#queue = undefined;
      });
      this.#queue = opening;
    }
    return this.#queue;
  }

  /**
   * Takes a received message: stores it, then answers it in the background. Resolves once it is stored (the
   * account may then acknowledge it); rejects when it could not be, so the network keeps it for a retry.
   * A message the queue already holds is not answered again.
   */
  async receive(kind: ChannelKind, message: InboundMessage, receipt: InboundReceipt): Promise<void> {
    const queue = await this.#open();
    this.#retryUnsettled();
    const name = { channel: message.channel, accountId: message.accountId };
    this.#pruneIfDue(queue, name, true);
    const payload: StoredPayload = { ...receipt.raw, message };
    const laneKey = receipt.laneKey ?? `${message.channel}:${message.replyTo}`;
    const receivedAt = typeof receipt.raw?.receivedAt === "number" ? receipt.raw.receivedAt : undefined;
    const result = queue.accept(name, receipt.eventId, payload, laneKey, receivedAt);
    if (result.kind === "duplicate") {
      this.#deps.log.info(
        `${
          accountKey(name.channel, name.accountId)
        }: inbound ${receipt.eventId} already ${result.status}; not answered again`,
      );
      return;
    }
    // Arrived while the gateway stops: kept for the next start rather than begun now and cut off.
    if (this.#draining) queue.release(name, result.claim, "received while the gateway was stopping");
    else this.#dispatch(queue, kind, name, message, result.claim, payload);
    // The database is back: what the account's ready could not read is answered now, not after a restart.
    const owed = this.#owed.get(accountKey(name.channel, name.accountId));
    if (owed) void this.#track(this.ready(owed.kind, name, owed.rules));
  }

  /**
   * An account is connected and can answer: claims what its queue still holds (messages whose answer a stop
   * or crash cut off) and answers them oldest first, one conversation at a time, read and filtered by the
   * account's `rules`.
   */
  async ready(kind: ChannelKind, name: IngressQueueName, rules: ReplayRules = {}): Promise<void> {
    if (this.#draining) return;
    const key = accountKey(name.channel, name.accountId);
    this.#owed.delete(key);
    try {
      const queue = await this.#open();
      this.#retryUnsettled();
      this.#pruneIfDue(queue, name, false);
      const claims = queue.claimWaiting(name, this.#live);
      if (claims.length === 0) return;
      this.#deps.log.info(`${key}: answering ${claims.length} inbound message(s) kept across a restart`);
      const lanes = new Map<string, Promise<void>>();
      for (const claim of claims) {
        this.#live.add(claim.claimToken);
        const message = storedMessage(claim.payload, rules);
        const refused = message === undefined
          ? UNREADABLE
          : isStaleDirect(message, claim.eventId, rules)
          ? STALE_DM
          : undefined;
        if (message === undefined || refused !== undefined) {
          const [reason, why] = refused ?? UNREADABLE;
          this.#deps.log.info(`${key}: inbound ${claim.eventId} not answered (${why})`);
          queue.fail(name, claim, reason, why);
          this.#live.delete(claim.claimToken);
          continue;
        }
        // One conversation's messages in the order they came; conversations side by side.
        const lane = message.replyTo;
        const previous = lanes.get(lane) ?? Promise.resolve();
        lanes.set(
          lane,
          previous.then(() => {
            if (!this.#draining) return this.#dispatch(queue, kind, name, message, claim, storedRecord(claim.payload));
            // The stop began before this one's turn: it waits for the next start, untouched.
            queue.release(name, claim, "received while the gateway was stopping");
            this.#live.delete(claim.claimToken);
          }),
        );
      }
      // A stop waits for the lanes, not only for the answer each is on now.
      for (const lane of lanes.values()) this.#track(lane);
    } catch (error) {
      this.#owed.set(key, { kind, rules });
      this.#deps.log.error(
        `${key}: cannot read the inbound queue (retried with the next message): ${messageOf(error)}`,
      );
    }
  }

  /** Answers one claimed message and settles its row; resolves when both are done. */
  #dispatch(
    queue: IngressQueue,
    kind: ChannelKind,
    name: IngressQueueName,
    message: InboundMessage,
    claim: IngressClaim,
    stored: Record<string, unknown> | undefined,
  ): Promise<void> {
    this.#live.add(claim.claimToken);
    const settled = this.#deps.handle(kind, message, stored)
      .catch((error): InboundDisposition => {
        this.#deps.log.error(`${accountKey(name.channel, name.accountId)}: answering failed: ${messageOf(error)}`);
        return "done";
      })
      .then((disposition) => {
        // Cut off by the stop, or never taken up by an account that was restarting: kept for when the account is
        // next ready. An aborted run outside a stop is a `/stop`: that message is settled. All else was answered.
        const write = disposition === "account-down"
          ? () => void queue.release(name, claim, "account not running")
          : disposition === "interrupted" && this.#draining
          ? () => void queue.release(name, claim, "interrupted by gateway stop")
          : () => void queue.complete(name, claim);
        this.#settle(accountKey(name.channel, name.accountId), claim.claimToken, write);
      });
    return this.#track(settled);
  }

  /**
   * Records how a claimed message ended. When the write fails (the database is locked or unavailable) the claim
   * stays this process's: a reconnect's replay must not answer the message again; the write is retried on the
   * next message or ready, and a gateway that stops first leaves it claimed for the next start, as a crash would.
   */
  #settle(key: string, token: string, write: () => void): void {
    try {
      write();
      this.#unsettled.delete(token);
      this.#live.delete(token);
    } catch (error) {
      if (!this.#unsettled.has(token)) {
        this.#deps.log.warn(`${key}: inbound queue update failed (retried later): ${messageOf(error)}`);
      }
      this.#unsettled.set(token, { key, write });
    }
  }

  #retryUnsettled(): void {
    for (const [token, { key, write }] of [...this.#unsettled]) this.#settle(key, token, write);
  }

  /**
   * Drops an account's old tombstones at most once per {@link INGRESS_PRUNE_INTERVAL_MS}, or on every stored
   * message for the channels the reference prunes so ({@link PRUNED_ON_RECEIPT}); a failure waits for the next.
   */
  #pruneIfDue(queue: IngressQueue, name: IngressQueueName, receipt: boolean): void {
    const key = accountKey(name.channel, name.accountId);
    const onReceipt = PRUNED_ON_RECEIPT[name.channel];
    if (onReceipt !== undefined && !receipt) return;
    const now = (this.#deps.now ?? Date.now)();
    const last = this.#prunedAt.get(key);
    if (onReceipt === undefined && last !== undefined && now - last < INGRESS_PRUNE_INTERVAL_MS) return;
    this.#prunedAt.set(key, now);
    try {
      queue.prune(name, onReceipt);
    } catch (error) {
      this.#deps.log.warn(`${key}: pruning the inbound queue failed: ${messageOf(error)}`);
    }
  }

  /** Counts a promise as in flight (a stop waits for it) until it settles. */
  #track(promise: Promise<void>): Promise<void> {
    const tracked = promise.catch(() => {}).finally(() => this.#inflight.delete(tracked));
    this.#inflight.add(tracked);
    return tracked;
  }

  /** Whether {@link drain} was called: answers cut off now are given again after the next start. */
  get draining(): boolean {
    return this.#draining;
  }

  /** The gateway is stopping: answers cut off from now on are kept for the next start, and no replay begins. */
  drain(): void {
    this.#draining = true;
  }

  /** Waits for the answers in flight to settle their rows (after their runs were aborted). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    this.#retryUnsettled();
  }
}
