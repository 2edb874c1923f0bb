// One task at a time, in call order: PDF extraction, whose worker can take up to 2 GB of
// WebAssembly memory for a few KB of crafted PDF, runs one PDF at a time per gateway, as the
// reference's single-worker pool does. A caller whose signal fires while it waits leaves the
// queue at once.

/** Runs `task` when every earlier task has finished; waiting ends with `signal.reason` if it fires first. */
export type SerialSlot = <T>(signal: AbortSignal, task: () => Promise<T>) => Promise<T>;

function waitFor(turn: Promise<void>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/** A fresh queue (its state lives in the closure: one per HTTP route, made when the app is built). */
export function serialSlot(): SerialSlot {
  let tail: Promise<void> = Promise.resolve();
  return async (signal, task) => {
    const previous = tail;
    const { promise: finished, resolve: finish } = Promise.withResolvers<void>();
    tail = previous.then(() => finished);
    try {
      await waitFor(previous, signal);
      return await task();
    } finally {
      finish();
    }
  };
}
