import assert from "node:assert/strict";
import { ConfigEditError } from "../../src/config/config_edit.ts";
import { restoreRedactedValues } from "../../src/config/redaction_restore.ts";
import { redactConfig } from "../../src/config/redact.ts";
import { isSecretPlace } from "../../src/config/secret_ref_redaction.ts";

const MARKER = "__OPENCLAW_REDACTED__";
const ref = (id: string, source = "env", provider = "default") => ({ source, provider, id });
const refusal = (message: string) => (error: unknown) => error instanceof ConfigEditError && error.message === message;

Deno.test("isSecretPlace(): a SecretInput field or a credential-named key; not an ordinary one", () => {
  assert.ok(isSecretPlace(["gateway", "auth", "token"]));
  assert.ok(isSecretPlace(["models", "providers", "x", "apiKey"]));
  assert.ok(!isSecretPlace(["gateway", "auth", "mode"]));
  assert.ok(!isSecretPlace([]));
});

Deno.test("redactConfig() hides the id of a secret's SecretRef only", () => {
  const config = {
    gateway: { auth: { mode: "token", token: ref("GW_TOKEN") } },
    agents: { defaults: { note: ref("NOT_A_SECRET_PLACE") } },
  };
  assert.deepEqual(redactConfig(config), {
    gateway: { auth: { mode: "token", token: ref(MARKER) } },
    agents: { defaults: { note: ref("NOT_A_SECRET_PLACE") } },
  });
});

Deno.test("a SecretRef copied back with the marker keeps the stored id; a changed source or a missing ref is refused", () => {
  const stored = { gateway: { auth: { mode: "token", token: ref("GW_TOKEN") } } };
  assert.deepEqual(restoreRedactedValues({ gateway: { auth: { mode: "token", token: ref(MARKER) } } }, stored), stored);
  assert.throws(
    () => restoreRedactedValues({ gateway: { auth: { token: ref(MARKER, "file") } } }, stored),
    refusal(
      "SecretRef at gateway.auth.token changed source/provider while id is redacted. Provide an explicit id when changing source/provider.",
    ),
  );
  assert.throws(
    () => restoreRedactedValues({ gateway: { auth: { password: ref(MARKER) } } }, stored),
    refusal("SecretRef at gateway.auth.password contains a redacted id placeholder with no matching original value."),
  );
  assert.throws(
    () => restoreRedactedValues({ gateway: { auth: { token: { source: "env", id: MARKER } } } }, stored),
    refusal(
      "SecretRef at gateway.auth.token must include source, provider, and id when redacted placeholders are present.",
    ),
  );
});
