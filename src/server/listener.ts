import { delay } from "../async/delay.ts";
import type { ListenAddress } from "../config/resolve.ts";
import type { Logger } from "../log/logger.ts";
import { formatHost, SIGNATURES, StartupError } from "./guards.ts";
import { type ConnectionLimits, ConnectionRegistry } from "./connections.ts";
import type { RequestHandlers } from "./http1.ts";
import { findPortListeners } from "./port_owner.ts";
import { messageOf } from "../log/error_text.ts";
import { warmRequestPath } from "./warm_paths.ts";

/** How long to keep retrying a taken port, riding out a previous process's exit. */
export interface BindRetry {
  windowMs: number;
  stepMs: number;
}

/** The default retry window for EADDRINUSE: short, so a real conflict is reported quickly. */
export const DEFAULT_BIND_RETRY: BindRetry = { windowMs: 2000, stepMs: 250 };

/** The servers bound for one gateway: one per listen address, all on the same port. */
export interface Listener {
  readonly port: number;
  /** Stops accepting and waits for in-flight requests, at most `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Binds every listen address and serves them with one {@link ConnectionRegistry}, so the caps
 * and timeouts hold across addresses. WebSocket upgrades go straight to the protocol layer (no
 * router on the connect path); everything else goes to the HTTP app.
 */
export async function listen(input: {
  addresses: ListenAddress[];
  port: number;
  handlers: RequestHandlers;
  limits: ConnectionLimits;
  log: Logger;
  retry?: BindRetry | undefined;
}): Promise<Listener> {
  const { handlers, log, port } = input;
  const retry = input.retry ?? DEFAULT_BIND_RETRY;
  // Before the port accepts: the first client's upgrade would otherwise load these modules while it waits.
  warmRequestPath();
  const listeners: Deno.TcpListener[] = [];
  try {
    for (const address of input.addresses) {
      const listener = await bindOne({ host: address.host, port, retry, required: address.required, log });
      if (listener) listeners.push(listener);
    }
  } catch (error) {
    for (const listener of listeners) listener.close();
    throw error;
  }
  const registry = new ConnectionRegistry({ limits: input.limits, log, handlers });
  for (const listener of listeners) registry.serve(listener);
  return { port, shutdown: (timeoutMs) => registry.shutdown(timeoutMs) };
}

async function bindOne(input: {
  host: string;
  port: number;
  retry: BindRetry;
  required: boolean;
  log: Logger;
}): Promise<Deno.TcpListener | undefined> {
  const { host, port } = input;
  const started = Date.now();
  for (;;) {
    try {
      return Deno.listen({ hostname: host, port, transport: "tcp" });
    } catch (error) {
      if (!input.required) {
        input.log.debug(`optional listener ${formatHost(host)}:${port} not bound: ${messageOf(error)}`);
        return undefined;
      }
      if (error instanceof Deno.errors.AddrInUse) {
        if (Date.now() - started < input.retry.windowMs) {
          await delay(input.retry.stepMs);
          continue;
        }
        throw new StartupError(await addrInUseMessage(host, port), { kind: "conflict", cause: error });
      }
      throw new StartupError(SIGNATURES.bindFailed(host, port, messageOf(error)), {
        kind: "conflict",
        cause: error,
      });
    }
  }
}

async function addrInUseMessage(host: string, port: number): Promise<string> {
  const lines = [
    `${SIGNATURES.alreadyListening(host, port)} | listen EADDRINUSE: address already in use ${
      formatHost(host)
    }:${port} | EADDRINUSE`,
    `Port ${port} is already in use.`,
  ];
  for (const owner of await findPortListeners(port)) {
    lines.push(`- pid ${owner.pid}: ${owner.command} (${owner.address})`);
  }
  lines.push(
    "Stop the other process (openclaw gateway stop, or --force to take the port over), or pick another port with --port.",
  );
  return lines.join("\n");
}
