import assert from "node:assert/strict";
import { procFacts } from "../../src/state/process_probe.ts";

Deno.test("procFacts() reads the start time after a command name with blanks and parentheses, and the argv", () => {
  const stat = "42 (a b) c) S 1 42 42 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 6 0 2027820 1000 10";
  assert.deepEqual(procFacts(`${stat}\nopenclaw\0gateway\0run\0`), {
    alive: true,
    startTime: 2027820,
    args: ["openclaw", "gateway", "run"],
  });
  const zombie = "42 (x) Z 1 42 42 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0";
  assert.deepEqual(procFacts(`${zombie}\n`), { alive: false, startTime: 5 });
  assert.equal(procFacts(""), undefined);
});
