import assert from "node:assert/strict";
import { redactAuthParams } from "../../src/sessions/auth_param_redaction.ts";

Deno.test("redactAuthParams() hides a Digest or AWS4 parameter list whole", () => {
  assert.equal(
    redactAuthParams('Authorization: Digest username="bob", response="6629fae4"\nHost: h'),
    "Authorization: Digest ***\nHost: h",
  );
  assert.equal(
    redactAuthParams(
      "Authorization: AWS4-HMAC-SHA256 Credential=AKID/2013/s3, SignedHeaders=host;range, Signature=fe5f",
    ),
    "Authorization: AWS4-HMAC-SHA256 ***",
  );
});

Deno.test("redactAuthParams() reads a credential ending in one `=` as a parameter, and stops at the JSON string's end", () => {
  assert.equal(redactAuthParams("Authorization: Basic dXNlcjpwYXNzd29yZDE="), "Authorization: Basic ***");
  assert.equal(
    redactAuthParams('{"h":"Authorization: Digest a=\\"1\\", b=2\\r\\nHost: x"}'),
    '{"h":"Authorization: Digest ***\\r\\nHost: x"}',
  );
});

Deno.test("redactAuthParams() leaves single-token credentials to the header rules", () => {
  assert.equal(
    redactAuthParams("Authorization: Basic dXNlcjpwYXNzd29yZA=="),
    "Authorization: Basic dXNlcjpwYXNzd29yZA==",
  );
  assert.equal(redactAuthParams("Authorization: Bearer abc"), "Authorization: Bearer abc");
});
