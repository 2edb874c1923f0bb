// Where the global state database lives, apart from opening it: what the gateway's start needs to know
// (whether there is one to check) without loading node:sqlite.

/** Where the global state database lives in a state dir. */
export function stateDbPath(stateDir: string): string {
  return `${stateDir}/state/openclaw.sqlite`;
}
