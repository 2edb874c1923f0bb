import assert from "node:assert/strict";
import type { LogRecord } from "@logtape/logtape";
import { getLogger } from "../../src/log/logger.ts";
import { currentLogFile, setupLogging, shutdownLogging } from "../../src/log/setup.ts";
import { warmFormatters } from "../../src/log/warm_formats.ts";

Deno.test("warmFormatters() runs each formatter twice on a gateway-shaped info record", () => {
  const seen: LogRecord[] = [];
  warmFormatters([(record) => seen.push(record), (record) => seen.push(record)]);
  assert.equal(seen.length, 4);
  assert.deepEqual(seen[0]!.category, ["openclaw", "gateway"]);
  assert.equal(seen[0]!.level, "info");
  assert.match(String(seen[0]!.message[0]), /^listening on /);
});

Deno.test("setupLogging()'s warm-up writes nothing: the console and the file hold only real lines", async () => {
  const dir = await Deno.makeTempDir();
  const out: string[] = [];
  const writer = {
    writeSync(bytes: Uint8Array) {
      out.push(new TextDecoder().decode(bytes));
      return bytes.length;
    },
    isTerminal: () => false,
  };
  try {
    await setupLogging({ fileLevel: "info", consoleLevel: "info", directory: dir }, { out: writer, err: writer });
    assert.deepEqual(out, []);
    getLogger("gateway").info("listening on ws://127.0.0.1:1 (pid 1; ready 1ms after start)");
    await shutdownLogging();
    assert.equal(out.length, 1);
    assert.match(out[0]!, / \[gateway\] listening on ws:\/\/127\.0\.0\.1:1 \(pid 1; ready 1ms after start\)\n$/);
    const file = (await Deno.readTextFile(currentLogFile({ directory: dir, file: undefined }))).trim().split("\n");
    assert.equal(file.length, 1);
    assert.match(JSON.parse(file[0]!).message, /^listening on ws:/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
