import { runCli } from "./src/cli/main.ts";

if (import.meta.main) {
  await runCli(Deno.args);
}
