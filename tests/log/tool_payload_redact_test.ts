import assert from "node:assert/strict";
import { redactToolContent, redactToolPayload } from "../../src/log/tool_payload_redact.ts";
import { toolResultData, toolStartData } from "../../src/agent/tool_events.ts";

Deno.test("tool arguments in events: credential shapes and credential-named fields masked", () => {
  const secret = "abcdefghijklmnopqrstuvwxyz0123456789";
  const start = toolStartData({
    id: "c1",
    name: "exec",
    args: { command: `curl -H 'Authorization: Bearer ${secret}' https://x`, apiKey: "short-key", n: 3 },
  });
  const args = start.args as Record<string, unknown>;
  assert.ok(!String(args.command).includes(secret), String(args.command));
  assert.match(String(args.command), /Bearer abcdef…6789/);
  assert.equal(args.apiKey, "***");
  assert.equal(args.n, 3);
});

Deno.test("tool results in events: text redacted, image bytes dropped with their size", () => {
  const data = toolResultData(
    { id: "c1", name: "read", args: {} },
    {
      content: [
        { type: "text", text: "OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz" },
        { type: "image", data: "aGVsbG8=", mimeType: "image/png" },
      ],
      details: { token: "tok-1234567890abcdefghij" },
    },
    false,
    undefined,
  );
  const result = data.result as { content: Record<string, unknown>[]; details: Record<string, unknown> };
  assert.ok(!String(result.content[0]!.text).includes("abcdefghijklmnopqrstuvwxyz"));
  assert.deepEqual(result.content[1], { type: "image", mimeType: "image/png", bytes: 5, omitted: true });
  assert.equal(result.details.token, "tok-12…ghij");
  assert.deepEqual(redactToolContent([{ type: "text", text: "plain" }]), [{ type: "text", text: "plain" }]);
  assert.equal(redactToolPayload(7), 7);
});
