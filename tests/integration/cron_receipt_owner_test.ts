// Run receipts name their owner by pid and kernel start time, and a receipt of a live process must never be
// taken as abandoned. The gateway runs without --allow-all, where Deno refuses to read /proc/<pid>: this runs
// the receipt checks under the binary's own permission flags (deno.json "compile").
import assert from "node:assert/strict";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

/** The permission flags the compiled gateway runs with. */
const BINARY_FLAGS = ["--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-run", "--allow-sys"];

Deno.test("receipt owners are told alive, restarted or gone under the gateway's permissions", async () => {
  const script = `
    import { processStartTime, receiptOwnerStale } from "${REPO_ROOT}/src/automation/cron_receipts.ts";
    const row = (pid, start) => ({ receipt_id: "r", job_id: "j", request_run_id: null, owner_pid: pid,
      owner_start_time: start, started_at_ms: Date.now() });
    const self = { pid: Deno.pid, startTime: processStartTime(Deno.pid) };
    const init = processStartTime(1);
    console.log(JSON.stringify({
      self: self.startTime,
      live: receiptOwnerStale(row(1, init), self, new Set(), Date.now()),
      restarted: receiptOwnerStale(row(1, init + 1), self, new Set(), Date.now()),
      gone: receiptOwnerStale(row(2 ** 22 + 1, 5), self, new Set(), Date.now()),
    }));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...BINARY_FLAGS, "--no-config", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: REPO_ROOT,
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const result = await out.output();
  const stderr = new TextDecoder().decode(result.stderr);
  assert.equal(result.code, 0, stderr);
  const facts = JSON.parse(new TextDecoder().decode(result.stdout));
  assert.equal(typeof facts.self, "number", "its own start time is known");
  assert.deepEqual({ ...facts, self: 0 }, { self: 0, live: false, restarted: true, gone: true });
});
