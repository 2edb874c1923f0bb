import assert from "node:assert/strict";
import { receivedValueHint, receivedValueLabel } from "../../src/config/received_value.ts";
import { isSensitiveConfigPath } from "../../src/config/sensitive.ts";

const hint = (segments: (string | number)[], tree: unknown, options: { effective?: unknown; message?: string } = {}) =>
  receivedValueHint(segments, options.message ?? "Invalid input", {
    authored: tree,
    effective: options.effective ?? tree,
    located: true,
  });

Deno.test("receivedValueHint() shows a primitive as JSON, null included", () => {
  assert.equal(hint(["gateway", "mode"], { gateway: { mode: "LOCAL" } }), '"LOCAL"');
  assert.equal(hint(["gateway", "port"], { gateway: { port: 0 } }), "0");
  assert.equal(hint(["gateway", "port"], { gateway: { port: null } }), "null");
  assert.equal(hint(["a", 1], { a: [1, true] }), "true");
});

Deno.test("receivedValueHint() hides objects, substituted values, credentials, channels and plugin configs", () => {
  assert.equal(hint(["gateway"], { gateway: { x: 1 } }), undefined);
  assert.equal(
    hint(["gateway", "mode"], { gateway: { mode: "${M}" } }, { effective: { gateway: { mode: "LOCAL" } } }),
    undefined,
  );
  assert.equal(hint(["hooks", "token"], { hooks: { token: 5 } }), undefined);
  assert.equal(hint(["channels", "telegram", "dmPolicy"], { channels: { telegram: { dmPolicy: "x" } } }), undefined);
  assert.equal(
    hint(["plugins", "entries", "p", "config", "mode"], { plugins: { entries: { p: { config: { mode: 1 } } } } }),
    undefined,
  );
  assert.equal(hint(["plugins", "entries", "p", "enabled"], { plugins: { entries: { p: { enabled: 1 } } } }), "1");
});

Deno.test("receivedValueHint() stays out when the message already says what it received, or the value is not located", () => {
  assert.equal(hint(["a"], { a: 1 }, { message: "Invalid input: expected string, received number" }), undefined);
  assert.equal(
    receivedValueHint(["a"], "Invalid input", { authored: { a: 1 }, effective: { a: 1 }, located: false }),
    undefined,
  );
});

Deno.test("receivedValueLabel() cuts JSON over 160 characters to 157 and `...`, never inside a surrogate pair", () => {
  assert.equal(receivedValueLabel("a".repeat(200)), `"${"a".repeat(156)}...`);
  const label = receivedValueLabel(`${"a".repeat(155)}😀xxxxxx`)!;
  assert.equal(label, `"${"a".repeat(155)}...`);
  assert.equal(receivedValueLabel(-0), "-0");
  assert.equal(receivedValueLabel(undefined), undefined);
});

Deno.test("isSensitiveConfigPath() judges whole paths as the reference does", () => {
  assert.ok(isSensitiveConfigPath("gateway.auth.token"));
  assert.ok(isSensitiveConfigPath("gateway.auth.password.x"));
  assert.ok(isSensitiveConfigPath("models.providers.a.apiKey"));
  assert.ok(isSensitiveConfigPath("x.localService.env.PATH"));
  assert.ok(!isSensitiveConfigPath("models.providers.a.models.0.maxTokens"));
  assert.ok(!isSensitiveConfigPath("gateway.auth.mode"));
  assert.ok(!isSensitiveConfigPath("tools.tokenizer"));
});
