// The config methods' dependencies for the tests that call them in process: the file at `path`, no
// environment, no broadcast, and no restart expected (a call that asks for one fails the test).
import type { ConfigDeps } from "../../src/rpc/methods/config.ts";

/** `configMethods` deps over `path`, with `extra` replacing any of them. */
export function configTestDeps(path: string, extra: Partial<ConfigDeps> = {}): ConfigDeps {
  return {
    path,
    env: {},
    version: "test",
    written: () => {},
    scheduleRestart: () => Promise.reject(new Error("no restart expected")),
    ...extra,
  };
}
