// The benches' wait for a started process to listen: they time start → accepting connections by it.
import { portAccepts } from "../support/port_accepts.ts";

/** Milliseconds from `started` until 127.0.0.1:`port` accepts; after 10 s, throws the message `failure` gives. */
export async function untilAccepting(port: number, started: number, failure: () => string): Promise<number> {
  while (!await portAccepts(port)) {
    if (performance.now() - started > 10_000) throw new Error(failure());
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now() - started;
}
