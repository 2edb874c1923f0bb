import assert from "node:assert/strict";
import {
  assertStoreValue,
  detectStoreKind,
  isRedactedValue,
  normalizeAllowedHosts,
  SecretStoreValidationError,
  STORE_NAME_RE,
} from "../../src/state/secret_store_rules.ts";

const cases: { label: string; stderr: string }[] =
  JSON.parse(Deno.readTextFileSync(new URL("../fixtures/secrets/store_cli_cases.json", import.meta.url))).cases;
const recorded = (label: string) => cases.find((c) => c.label === label)?.stderr.trimEnd();

function refusal(run: () => unknown): SecretStoreValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretStoreValidationError) return error;
    throw error;
  }
  throw new Error("expected a SecretStoreValidationError");
}

Deno.test("names follow the reference's pattern", () => {
  assert.deepEqual(["OPENAI_API_KEY", "A", "LOG_LEVEL"].map((n) => STORE_NAME_RE.test(n)), [true, true, true]);
  const bad = ["lower", "_X", "1A", `A${"B".repeat(128)}`];
  assert.deepEqual(bad.map((n) => STORE_NAME_RE.test(n)), [false, false, false, false]);
});

Deno.test("kind comes from a credential-looking suffix", () => {
  const names = ["OPENAI_API_KEY", "SERVICE_TOKEN", "DB_PASSWORD", "TLS_PRIVATE_KEY", "APP_SECRET", "LOG_LEVEL"];
  assert.deepEqual(names.map(detectStoreKind), ["secret", "secret", "secret", "secret", "secret", "env"]);
});

Deno.test("placeholders, empty secrets and oversized values are refused in the reference's words", () => {
  assert.deepEqual(
    [isRedactedValue(" __OPENCLAW_REDACTED__\n"), isRedactedValue("***"), isRedactedValue("x***")],
    [true, true, false],
  );
  assert.equal(refusal(() => assertStoreValue("***", "env", "NEW_ENV")).message, recorded("set_redacted_value_env"));
  assert.equal(refusal(() => assertStoreValue("", "secret", "EMPTY_TOKEN")).message, recorded("set_secret_empty"));
  assertStoreValue("", "env", "EMPTY_ENV");
  assert.equal(refusal(() => assertStoreValue("x".repeat(65_537), "env", "BIG")).code, "SECRET_STORE_VALUE_TOO_LARGE");
});

Deno.test("allowed hosts are exact, lowercased, sorted and deduplicated", () => {
  assert.deepEqual(normalizeAllowedHosts(["b.example.com", "API.OpenAI.com", "api.openai.com."]), [
    "api.openai.com",
    "b.example.com",
  ]);
  const refused: [string, string][] = [
    ["https://x.com", "set_hosts_bad"],
    ["*.x.com", "set_hosts_wild"],
    ["x.com:443", "set_hosts_port"],
  ];
  for (const [host, label] of refused) {
    assert.equal(refusal(() => normalizeAllowedHosts([host])).message, recorded(label));
  }
});
