import { runEntry } from "./src/cli/entry.ts";

if (import.meta.main) {
  await runEntry(Deno.args);
}
