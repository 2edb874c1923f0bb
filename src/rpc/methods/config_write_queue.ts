// The gateway's one config write queue: every method that writes the config file (config.set|patch|apply,
// agents.create|update|delete) waits in it, so no write starts from a file another write is replacing.
// Kept apart (no imports) so the gateway creates it at start without loading the writers.

/** Runs config writes one after another: a write never starts from a file another write is replacing. */
export type ConfigWriteQueue = <T>(task: () => Promise<T>) => Promise<T>;

/** A fresh queue; the gateway holds one and hands it to every method that writes the config. */
export function configWriteQueue(): ConfigWriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => {});
    return run;
  };
}
