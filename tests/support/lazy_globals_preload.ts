// Preloaded (`deno run --preload`) into a gateway by tests/integration/start_lazy_globals_test.ts: prints a line to
// stdout, where the gateway's console log lines go, the first time the program reads one of Deno's lazily loaded
// globals. The line's place among the log lines says when each loaded (Node's timers, the fetch classes).
// deno-lint-ignore-file no-console -- it prints into the gateway's own stdout, where the test reads the log lines.
const LAZY = ["setTimeout", "setInterval", "clearTimeout", "clearInterval", "Request", "Response"];
for (const name of LAZY) {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  const load = descriptor?.get;
  if (!descriptor || !load) {
    // The runtime changed: the test's premise is gone, and it says so rather than passing.
    console.log(`[lazy-global] ${name} is not lazy`);
    continue;
  }
  let first = true;
  Object.defineProperty(globalThis, name, {
    ...descriptor,
    get() {
      if (first) {
        first = false;
        console.log(`[lazy-global] ${name}`);
      }
      return load.call(this);
    },
  });
}
