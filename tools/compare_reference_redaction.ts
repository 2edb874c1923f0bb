// Compares our export's text redaction with the reference's on random mixes of the fragments its rules key on
// (names, separators, quotes, escapes, line breaks, header schemes, URL pieces, PEM delimiters, token shapes),
// printing the first differences. The recorded fixtures pin chosen samples; this looks for the cases nobody chose.
//
//   deno run -A tools/compare_reference_redaction.ts [count=5000] [seed=42]
import { redactTokens } from "../src/sessions/secret_text_redaction.ts";
import { redactWithReference } from "./reference_redaction.ts";

const FRAGMENTS = [
  "API_KEY",
  "token",
  "password",
  "Authorization",
  "authorization",
  "Proxy-Authorization",
  "x-api-key",
  "X-Api-Key",
  "X-OpenClaw-Token",
  "x-goog-api-key",
  "Set-Cookie",
  "cookie",
  "Bearer",
  "Basic",
  "Digest",
  "Bot",
  "Hawk ",
  "AWS4-HMAC-SHA256",
  "Credential=",
  "SignedHeaders=a;b",
  "client_secret",
  "secret",
  "db.password",
  "smtp_pass",
  "passphrase",
  "--token",
  "--api-key",
  "--password ",
  " or ",
  "body",
  "body=",
  "form",
  "form-body:",
  "code",
  "key",
  "sig",
  "cli%65nt_secret",
  "access_token",
  "aws_secret_access_key",
  "SecretAccessKey",
  "card_number",
  "CARD_CVV",
  "security_code",
  "apiKey",
  '"apiKey"',
  "private_key",
  "http://u:p@h/",
  "redis://u:pw@h",
  "mongodb+srv://",
  "wss://",
  "ftp://",
  "https://",
  "(https://x.io/",
  '"http://a:b@c/',
  "http://h:8",
  "?token=",
  "&",
  "=",
  ":",
  ": ",
  " = ",
  '"',
  "'",
  "`",
  '\\"',
  "\\\\",
  "\\n",
  "\\r\\n",
  "\n",
  "\r\n",
  "\n  ",
  ",",
  ";",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  " ",
  "\t",
  "/",
  "@",
  "_",
  "+",
  "%41",
  "\u200b",
  ";base64,",
  "abcdefghijklmnopqrstuvwxyz0123",
  "s3cr3t",
  "$TOKEN",
  "${TOKEN}",
  "[REDACTED]",
  "dXNlcjpwYXNzd29yZDE=",
  "BEGIN",
  "-----",
  "PRIVATE KEY",
  "-----BEGIN RSA PRIVATE KEY-----",
  "-----END RSA PRIVATE KEY-----",
  "MIIEabc",
  "x=1",
  'realm="x"',
  "abcd-efgh-ijkl-mnop",
  "sk-abcdefghijklmnopq",
  "ghp_abcdefghijklmnop",
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "123456789:ABCdefGHIjklMNOpqrSTUvwxYZ",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.abcdefghijklmnop",
]; // deno-fmt-ignore
const MAX_PRINTED = 10;

// A small linear congruential generator, so a seed names the same mixes every run.
function mixes(count: number, seed: number): string[] {
  let state = seed;
  const next = (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
  return Array.from({ length: count }, () => {
    let text = "";
    for (let parts = 2 + next(18); parts > 0; parts--) text += FRAGMENTS[next(FRAGMENTS.length)];
    return text;
  });
}

async function main(): Promise<void> {
  const count = Number(Deno.args[0] ?? 5000);
  const seed = Number(Deno.args[1] ?? 42);
  const inputs = mixes(count, seed);
  const expected = await redactWithReference(inputs);
  const differences = inputs.flatMap((input, i) => {
    const ours = redactTokens(input);
    return ours === expected[i] ? [] : [{ input, ours, reference: expected[i] }];
  });
  const say = (line: string) => Deno.stdout.writeSync(new TextEncoder().encode(`${line}\n`));
  for (const difference of differences.slice(0, MAX_PRINTED)) say(JSON.stringify(difference));
  say(`${differences.length} of ${count} mixes differ from the reference (seed ${seed})`);
  if (differences.length > 0) Deno.exitCode = 1;
}

await main();
