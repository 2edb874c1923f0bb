// A loopback OpenAI chat-completions server for differential tests: it records every request as the
// wire carried it (method, URL, header pairs in order, body text) and answers with a script: a
// status, headers and body pieces written one by one, optionally cut (the body errors mid-stream)
// or held open with keep-alive comments until the client goes away.

/** One request as the upstream saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** How the upstream answers one request. */
export interface SseScript {
  status?: number;
  headers?: Record<string, string>;
  pieces: (string | Uint8Array)[];
  /** End the body with an error after the pieces (the connection is cut mid-answer). */
  cut?: boolean;
  /** Keep the body open after the pieces, a keep-alive comment every 5 ms, until the client leaves. */
  hold?: boolean;
}

/** A running scripted upstream. */
export interface ScriptedUpstream {
  url: string;
  requests: SeenRequest[];
  /** The script for the following requests. */
  answer(script: SseScript): void;
  stop(): Promise<void>;
}

/** Starts the upstream on a free loopback port. */
export function startScriptedUpstream(): ScriptedUpstream {
  const requests: SeenRequest[] = [];
  let script: SseScript = { pieces: [] };
  const encoder = new TextEncoder();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    requests.push({
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: await request.text(),
    });
    const current = script;
    const pieces = current.pieces.map((p) => typeof p === "string" ? encoder.encode(p) : p);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at < pieces.length) {
          controller.enqueue(pieces[at++]!);
          return;
        }
        if (current.cut) return controller.error(new Error("cut by the test upstream"));
        if (!current.hold) return controller.close();
        return keepAlive(controller, timers);
      },
    });
    return new Response(body, {
      status: current.status ?? 200,
      headers: current.headers ?? { "content-type": "text/event-stream" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    answer(next) {
      script = next;
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await server.shutdown();
    },
  };
}

/**
 * A keep-alive comment written to `controller` 5 ms from now (a held stream's next pull); its timer is kept in `timers`
 * until it fires, so the server's stop can clear what is pending. A stream cancelled meanwhile takes nothing.
 */
export function keepAlive(
  controller: ReadableStreamDefaultController<Uint8Array>,
  timers: Set<ReturnType<typeof setTimeout>>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      try {
        controller.enqueue(new TextEncoder().encode(": keep-alive\n\n"));
      } catch {
        // The client went away.
      }
      resolve();
    }, 5);
    timers.add(timer);
  });
}
