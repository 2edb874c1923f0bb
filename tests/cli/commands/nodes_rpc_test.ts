import assert from "node:assert/strict";
import { invokeTransportMs } from "../../../src/cli/commands/nodes_invoke.ts";
import {
  nonNegativeInteger,
  positiveInteger,
  runNodes,
  transportTimeout,
} from "../../../src/cli/commands/nodes_rpc.ts";

Deno.test("--timeout is a positive integer (10 s when absent), refused in the reference's words", () => {
  assert.equal(transportTimeout(undefined), 10_000);
  assert.equal(transportTimeout("2500"), 2500);
  assert.throws(() => transportTimeout("abc"), {
    message: 'Invalid --timeout. Use a positive millisecond value, e.g. --timeout 30000. Received: "abc".',
  });
  assert.throws(() => transportTimeout("0"), /Invalid --timeout/);
});

Deno.test("integer flags: positive and non-negative, explicit empty values refused", () => {
  assert.equal(positiveInteger(undefined, "--invoke-timeout"), undefined);
  assert.equal(positiveInteger("15000", "--invoke-timeout"), 15000);
  assert.throws(() => positiveInteger("0", "--invoke-timeout"), {
    message: "--invoke-timeout must be a positive integer.",
  });
  assert.throws(() => positiveInteger(" ", "--invoke-timeout"), /must be a positive integer/);
  assert.throws(() => positiveInteger("1.5", "--invoke-timeout"), /must be a positive integer/);
  assert.equal(nonNegativeInteger("0", "--max-age"), 0);
  assert.throws(() => nonNegativeInteger("-1", "--max-age"), { message: "--max-age must be a non-negative integer." });
});

Deno.test("the invoke transport deadline outlasts the node's own by ten seconds", () => {
  assert.equal(invokeTransportMs(30_000, 15_000), 30_000);
  assert.equal(invokeTransportMs(30_000, 120_000), 130_000);
  assert.equal(invokeTransportMs(30_000, undefined), 30_000);
});

Deno.test("integer flags take a sign and surrounding spaces as the reference does (+5000, ' 7 ', -0)", () => {
  assert.equal(transportTimeout("+300000"), 300_000);
  assert.equal(transportTimeout(" 2500 "), 2500);
  assert.equal(positiveInteger("+5000", "--invoke-timeout"), 5000);
  assert.equal(nonNegativeInteger("+7", "--max-age"), 7);
  assert.equal(nonNegativeInteger("-0", "--max-age"), 0);
  assert.throws(() => positiveInteger("-5", "--invoke-timeout"), /must be a positive integer/);
  assert.throws(() => transportTimeout("+"), /Invalid --timeout/);
});

Deno.test("a refused --timeout names the trimmed value, and no value when it is empty", () => {
  assert.throws(() => transportTimeout(" abc "), {
    message: 'Invalid --timeout. Use a positive millisecond value, e.g. --timeout 30000. Received: "abc".',
  });
  assert.throws(() => transportTimeout(""), {
    message: "Invalid --timeout. Use a positive millisecond value, e.g. --timeout 30000.",
  });
  assert.throws(() => transportTimeout("  "), {
    message: "Invalid --timeout. Use a positive millisecond value, e.g. --timeout 30000.",
  });
});

Deno.test("an unreachable --url is reported with its user info and credential query values as ***", async () => {
  const lines: string[] = [];
  // deno-lint-ignore no-console -- the test reads what the command prints on stderr.
  const original = console.error;
  // deno-lint-ignore no-console -- the test reads what the command prints on stderr.
  console.error = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    const code = await runNodes(
      "status",
      { url: "ws://user:s3cret@127.0.0.1:1/?token=qs3cret&mode=x", token: "t0ken", timeout: "2000" },
      () => Promise.resolve(0),
    );
    assert.equal(code, 1);
  } finally {
    // deno-lint-ignore no-console -- the test reads what the command prints on stderr.
    console.error = original;
  }
  const text = lines.join("\n");
  assert.ok(!text.includes("s3cret"), text);
  assert.ok(text.includes("Gateway not reachable at ws://***:***@127.0.0.1:1/?token=***&mode=x (ECONNREFUSED)."), text);
  assert.ok(text.includes("Gateway target: ws://***:***@127.0.0.1:1/?token=***&mode=x"), text);
});
