// Every WebSocket frame a real client exchanges with a gateway, grouped by the section of the visit
// (the page or screen) during which the request was sent: the requests with their params, their
// answers (ok, payload, error), and the events received. Fed by the browser's own websocket events
// (Playwright) or by a frame relay (the TUI); summarised per section for test failures and for the
// recorded list of methods each page calls.

/** One request as the client sent it, with the gateway's answer once it came. */
export interface RecordedRequest {
  section: string;
  id: string;
  method: string;
  params: unknown;
  sentAt: number;
  answer?: { ok: boolean; payload?: unknown; error?: { code?: string; message?: string }; at: number };
}

/** One event frame received. */
export interface RecordedEvent {
  section: string;
  event: string;
  payload: unknown;
  at: number;
}

/** What a frame of the gateway protocol looks like on the wire (loosely: anything may be missing). */
interface WireFrame {
  type?: string;
  id?: string;
  method?: string;
  params?: unknown;
  ok?: boolean;
  payload?: unknown;
  error?: { code?: string; message?: string };
  event?: string;
}

/** True when a gateway answered that it does not know the method. */
export function isUnknownMethod(request: RecordedRequest): boolean {
  return request.answer?.ok === false && /unknown method/i.test(request.answer.error?.message ?? "");
}

/** The text of a `chat` event's message (its text parts joined), or "" for none. */
function chatText(payload: unknown): string {
  const message = (payload as { message?: { content?: unknown } } | undefined)?.message;
  const content = message?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (part as { text?: unknown }).text).filter((t) => typeof t === "string").join("");
}

/**
 * Why the `chat` events of `section` did not stream `answer`, or undefined when they did: a delta
 * carrying only part of it came before the final event carrying all of it, as the reference sends.
 */
export function streamFailure(log: FrameLog, section: string, answer: string): string | undefined {
  const chat = log.events.filter((e) => e.section === section && e.event === "chat");
  const state = (e: RecordedEvent) => (e.payload as { state?: string } | undefined)?.state;
  const final = chat.findIndex((e) => state(e) === "final");
  if (final === -1) return `no final "chat" event (chat events: ${chat.map(state).join(", ") || "none"})`;
  const finalText = chatText(chat[final]!.payload);
  if (!finalText.includes(answer)) return `the final "chat" event carries ${JSON.stringify(finalText)}, not the answer`;
  const partial = chat.slice(0, final).some((e) => {
    const text = chatText(e.payload);
    return state(e) === "delta" && text.length > 0 && text.length < answer.length && answer.startsWith(text);
  });
  return partial ? undefined : `the answer came in one piece: no "chat" delta with part of it before the final`;
}

/** Error answers other than "unknown method", one line each (method, params, message), distinct. */
export function otherErrors(requests: readonly RecordedRequest[]): string[] {
  const lines = requests
    .filter((r) => r.answer?.ok === false && !isUnknownMethod(r))
    .map((r) => `  ${r.method} ${JSON.stringify(r.params ?? {})} → ${r.answer?.error?.message}`);
  return [...new Set(lines)];
}

/**
 * What went wrong in one section: the methods answered "unknown method", other error answers, and
 * the `problems` of the visit that name the section (`"<section>: <what>"`). Empty when nothing did.
 */
export function sectionFailures(log: FrameLog, section: string, problems: readonly string[]): string[] {
  const requests = log.requests.filter((r) => r.section === section);
  const failures: string[] = [];
  const unknown = requests.filter(isUnknownMethod);
  if (unknown.length > 0) {
    failures.push(
      `answered "unknown method" (${unknown.length} of ${requests.length} requests): ${
        [...new Set(unknown.map((r) => r.method))].join(", ")
      }`,
    );
  }
  const errors = otherErrors(requests);
  if (errors.length > 0) failures.push(`other error answers:\n${errors.join("\n")}`);
  const steps = problems.filter((p) => p.startsWith(`${section}: `)).map((p) => p.slice(section.length + 2));
  if (steps.length > 0) failures.push(`steps that failed:\n  ${steps.join("\n  ")}`);
  return failures;
}

/** The frames of a visit, grouped by section. */
export class FrameLog {
  #section = "start";
  #requests: RecordedRequest[] = [];
  #pending = new Map<string, RecordedRequest>();
  #events: RecordedEvent[] = [];

  /** Names the section that the next requests belong to. */
  enter(section: string): void {
    this.#section = section;
  }

  /** The current section's name. */
  get section(): string {
    return this.#section;
  }

  /** Every request so far, in the order sent. */
  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  /** Every event so far, in the order received. */
  get events(): readonly RecordedEvent[] {
    return this.#events;
  }

  /** Requests sent but not answered yet. */
  get unanswered(): number {
    return this.#pending.size;
  }

  /** Records a frame the client sent (`connection` tells apart the ids of several sockets). */
  sent(text: string, connection = ""): void {
    const frame = parseFrame(text);
    if (frame?.type !== "req" || typeof frame.method !== "string") return;
    const request: RecordedRequest = {
      section: this.#section,
      id: String(frame.id),
      method: frame.method,
      params: frame.params,
      sentAt: Date.now(),
    };
    this.#requests.push(request);
    this.#pending.set(`${connection}\u0000${request.id}`, request);
  }

  /** Records a frame the gateway sent. */
  received(text: string, connection = ""): void {
    const frame = parseFrame(text);
    if (frame?.type === "res") {
      const key = `${connection}\u0000${frame.id}`;
      const request = this.#pending.get(key);
      if (!request) return;
      this.#pending.delete(key);
      request.answer = { ok: frame.ok === true, payload: frame.payload, error: frame.error, at: Date.now() };
    } else if (frame?.type === "event" && typeof frame.event === "string") {
      this.#events.push({ section: this.#section, event: frame.event, payload: frame.payload, at: Date.now() });
    }
  }

  /** Forgets the requests of a socket that closed: they will never be answered. */
  closed(connection = ""): void {
    for (const key of [...this.#pending.keys()]) {
      if (key.startsWith(`${connection}\u0000`)) this.#pending.delete(key);
    }
  }

  /** Section → the distinct methods unknown to the gateway in it, in first-seen order. */
  unknownBySection(): Map<string, string[]> {
    const result = new Map<string, string[]>();
    for (const request of this.#requests.filter(isUnknownMethod)) {
      const list = result.get(request.section) ?? [];
      if (!list.includes(request.method)) list.push(request.method);
      result.set(request.section, list);
    }
    return result;
  }

  /** A failure message listing the unknown methods page by page (empty when there were none). */
  unknownReport(): string {
    const lines = [...this.unknownBySection()].map(([section, methods]) => `  ${section}: ${methods.join(", ")}`);
    if (lines.length === 0) return "";
    const count = this.#requests.filter(isUnknownMethod).length;
    return `${count} of ${this.#requests.length} requests were answered "unknown method", by page:\n${
      lines.join("\n")
    }`;
  }

  /** Section → method → how often it was sent and how it was answered. */
  methodsBySection(): Map<string, Map<string, MethodTally>> {
    const result = new Map<string, Map<string, MethodTally>>();
    for (const request of this.#requests) {
      const methods = result.get(request.section) ?? new Map<string, MethodTally>();
      const tally = methods.get(request.method) ?? { count: 0, ok: 0, errors: [], params: [] };
      tally.count++;
      if (request.answer?.ok) tally.ok++;
      const error = request.answer?.ok === false
        ? `${request.answer.error?.code ?? "?"}: ${request.answer.error?.message ?? ""}`
        : undefined;
      if (error && !tally.errors.includes(error)) tally.errors.push(error);
      const params = JSON.stringify(request.params ?? null);
      if (!tally.params.includes(params)) tally.params.push(params);
      methods.set(request.method, tally);
      result.set(request.section, methods);
    }
    return result;
  }
}

/** How one method fared within one section. */
export interface MethodTally {
  count: number;
  ok: number;
  /** Distinct `code: message` of error answers. */
  errors: string[];
  /** Distinct params sent, as JSON. */
  params: string[];
}

function parseFrame(text: string): WireFrame | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" ? value as WireFrame : undefined;
  } catch {
    return undefined;
  }
}
