/** What the process was asked to do by a signal. */
export type ProcessSignal = "SIGINT" | "SIGTERM" | "SIGUSR2";

/**
 * Resolves with the first of SIGINT, SIGTERM (stop) or SIGUSR2 (restart in process), then
 * removes its listeners so the next wait starts clean.
 */
export function waitForSignal(): Promise<ProcessSignal> {
  const signals: ProcessSignal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM", "SIGUSR2"];
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
        resolve(signal);
      };
      Deno.addSignalListener(signal, handler);
      return [signal, handler] as const;
    });
  });
}
