import assert from "node:assert/strict";
import { parseDotEnv } from "../../src/state/secret_store_dotenv.ts";

Deno.test("the recorded import file parses as the reference imported it (6 entries, multiline PEM)", () => {
  const text = Deno.readTextFileSync(new URL("../fixtures/secrets/import.env", import.meta.url));
  assert.deepEqual(parseDotEnv(text), {
    LOG_LEVEL: "debug",
    SERVICE_TOKEN: "tok-abc",
    TLS_PRIVATE_KEY:
      "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----",
    QUOTED_NL: "a\nb",
    SINGLE: "x y",
    EMPTY_ENV: "",
  });
});

Deno.test("comments, CRLF and single-quoted escapes", () => {
  assert.deepEqual(parseDotEnv("# only a comment\n"), {});
  assert.deepEqual(parseDotEnv("A=1\r\nB='a\\nb' # note\r\n"), { A: "1", B: "a\\nb" });
});
