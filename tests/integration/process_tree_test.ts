import assert from "node:assert/strict";
import { descendantPids, isAlive, stopSurvivors } from "../support/process_tree.ts";

Deno.test("stopSurvivors() stops by PID a grandchild its parent left running when it died", async () => {
  const shell = new Deno.Command("sh", {
    args: ["-c", "sleep 300 & echo $!; wait"],
    stdout: "piped",
    stderr: "null",
    stdin: "null",
  }).spawn();
  const reader = shell.stdout.getReader();
  const { value } = await reader.read();
  const sleeper = Number(new TextDecoder().decode(value).trim());
  assert.ok(descendantPids(shell.pid).includes(sleeper), "the background sleep is the shell's descendant");
  const tree = descendantPids(shell.pid);
  shell.kill("SIGKILL");
  await shell.status;
  reader.releaseLock();
  await shell.stdout.cancel();
  assert.ok(isAlive(sleeper), "the orphaned sleep outlived its parent");
  await stopSurvivors(tree);
  assert.equal(isAlive(sleeper), false);
});
