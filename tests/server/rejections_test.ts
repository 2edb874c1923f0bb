import assert from "node:assert/strict";
import type { Logger } from "../../src/log/logger.ts";
import { containRejections } from "../../src/server/rejections.ts";

Deno.test("an unhandled rejection is logged with its stack and does not end the process", async () => {
  const errors: string[] = [];
  const log = { error: (message: string) => errors.push(message) } as unknown as Logger;
  const release = containRejections(log);
  try {
    void Promise.reject(new Error("injected stray rejection"));
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /unhandled rejection .*injected stray rejection/s);
  } finally {
    release();
  }
});
