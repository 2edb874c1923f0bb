// Records what the reference OpenClaw 2026.9.6's own redaction (`redactSecrets`, which its trajectory export
// applies to every value) makes of made-up secrets, run in the reference's Node from its bundle:
// - tests/fixtures/trajectory/reference_token_redaction.json: one sample of each vendor token shape;
// - tests/fixtures/trajectory/reference_context_redaction.json: samples of each context-dependent rule
//   (assignments, quoted fields in text, HTTP auth headers, form bodies and URL queries, config lines, PEM
//   blocks, field values), with near-misses it leaves alone and mixed cases.
//
//   deno run -A tools/record_reference_token_redaction.ts
import { redactWithReference } from "./reference_redaction.ts";

const SAMPLES = [
  "aws AKIAIOSFODNN7EXAMPLE in text",
  "sts ASIAABCDEFGHIJKLMNOP.",
  "data:image/png;base64,xxAKIAIOSFODNN7EXAMPLE",
  "stripe rk_live_abcdefghij1234",
  "hook https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx done",
  "db postgres://admin:s3cr3t-pass@db.local:5432/app",
  "gitlab gldt-abcdefghijklmnopqrstuvwxyz",
  "sendgrid SG.abcdefghijklm.nopqrstuvwxyz012",
  "pypi pypi-AgEIcHlwaS5vcmcabcdef",
  "docker dckr_pat_abcdefghijklmnopqrstuvwxyz12",
  "tavily tvly-abcdefghij1234",
  "replicate r8_abcdefghij1234567",
  "fireworks fw_abcdefghijklmnopqrstuvwxyz0123456",
  "anthropic sk-ant-api03-abcdefghijklmnop",
  "tencent AKIDabcdefghij12345",
  "aliyun LTAIabcdefghij1234",
  "hf org api_org_abcdefghijklmnopqrstuv",
  "google oauth 1//0abcdefghijklmnop",
  "am_abcdefghijkl token",
  "x sk_abcdefghijklmn y",
  "firecrawl fc-abcdefghij12",
  "fernet gAAAAABkabcdefghijklmnopqrstu",
  "digitalocean dop_v1_abcdefghij12345",
  "github ghp_abcdefghijklmnop and gho_abcdefghijklmnop",
  "discord https://discord.com/api/webhooks/123456789012345678/" + "a".repeat(64),
  "telegram bot123456789:ABCdefGHIjklMNOpqrSTUvwxYZ",
];

// A rule's samples: each input is a string (redacted as text) or an object (redacted field by field).
const CONTEXT_SAMPLES: Record<string, unknown[]> = {
  "env assignment": [
    "export OPENAI_API_KEY=sk-proj-abcdefghijklmnop1234",
    "API_KEY=abc123",
    'TOKEN="quoted-token-value-123456" next',
    "DB_PASSWORD: hunter2hunter2hunter2",
    "GITHUB_TOKEN=$GITHUB_TOKEN",
    "GITHUB_TOKEN=${GITHUB_TOKEN}",
    "GITHUB_TOKEN=${GITHUB_TOKEN:-fallback-value}",
    "OTHER_TOKEN=$GITHUB_TOKEN",
    "MONKEY=banana",
    "KEYBOARD=qwerty layout",
    'escaped {\\"API_KEY\\": \\"abcdef1234567890abcdef\\"}',
    "CARD_NUMBER=4242424242424242",
    "api_key=lowercase-value-1234567890",
    "token=$TOKEN",
    'escaped API_KEY=\\"abcdef1234567890abcdef\\" end',
  ],
  "quoted field in text": [
    '{"apiKey": "abcdef1234567890abcdef"}',
    'log: {"password":"hunter2"}',
    "config {'client_secret': 'abcdefghijklmnopqrstuvwxyz'}",
    "call with password='s3cret-pass-word-123' in a string",
    '{"token": ""}',
    '{"tokenizer": "cl100k_base", "max_tokens": 4096}',
    '{"cardNumber": "4242424242424242", "cvc": "123"}',
    '{"authorization": "Basic dXNlcjpwYXNzd29yZA=="}',
    "{'x-api-key': 'abcdefghijklmnopqrstuvwxyz'}",
    'credential = "abcdefghijklmnopqrstuvwxyz1234"',
  ],
  "http auth header": [
    "Authorization: Basic dXNlcjpwYXNzd29yZA==",
    "Authorization: Basic dXNlcjpwYXNzd29yZDE=",
    "authorization: bearer abcdefghijklmnopqrstuvwxyz012345",
    "Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.ghijklmnopqrstuvwxyz",
    "Authorization: Token abcdefghijklmnop1234567890",
    "Authorization: abcdefghijklmnop1234567890",
    "Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==",
    "x-api-key: abcdefghijklmnopqrstuvwxyz123456",
    "X-Api-Key=abcdefghijklmnopqrstuvwxyz123456&foo=bar",
    "x-goog-api-key: AIzaSyAbcdefghijklmnopqrstuvwxyz12345",
    "api-key: short1",
    "X-OpenClaw-Token: gw-token-abcdefghijklmnop",
    "Cookie: session=abcdefghijklmnopqrstuvwxyz; theme=dark",
    "Set-Cookie: sid=abcdefghijklmnopqrstuvwxyz123; HttpOnly",
    'headers: {"Authorization": "Bearer abcdefghijklmnopqrstuvwxyz"}',
    '"headers": "Authorization: Basic dXNlcjpwYXNzd29yZA==\\r\\nAccept: */*"',
    "Authorization:\n  Basic dXNlcjpwYXNzd29yZA==",
    "the authorization header was missing",
    "X-Api-Keys are rotated monthly",
    "my-api-key: not-a-header-value-123456",
    "Authorization: [REDACTED]",
    "Authorization: [REDACTED]x",
    'Authorization: "abcdefghijklmnopqrstuvwxyz123"',
    "{Authorization: abcdefghijklmnopqrstuvwxyz}",
    "Authorization: abcdefghijklmnopqrstuvwxyz trailing words",
    "Authorization=abcdefghijklmnopqrstuvwxyz;",
    "Proxy-Authorization: abcdefghijklmnopqrstuvwxyz\nHost: x",
    "Authorization:Authorization:abcdefghijklmnopqrstuvwxyz",
    "X-Authorization: abcdefghijklmnopqrstuvwxyz",
    '"Authorization": "abcdefghijklmnopqrstuvwxyz"',
    'Authorization: \\"abcdefghijklmnopqrstuvwxyz\\"',
    "Authorization: abcdefghijklmnopqrstuvwxyz\n  folded",
  ],
  "auth header parameters": [
    'Authorization: Digest username="bob", realm="x", nonce="abc123", response="6629fae49393a05397450978507c4ef1"',
    "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
    "SignedHeaders=host;range;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
    'Authorization: Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", mac="6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE="',
    '{"headers":"Authorization: Digest username=\\"bob\\", response=\\"abcdef0123456789\\"\\r\\nHost: x"}',
    "Authorization: Basic abc, realm=x",
    "Proxy-Authorization: Negotiate YIIabcdefghijklmnop==",
    "Authorization: Digest",
    "Authorization: Basic dXNlcjpwYXNzd29yZDE=\nNext: header",
    "Authorization: Digest username=bob,\n  response=abcdef0123456789; more",
    "Authorization: Custom a=1 b=2 Authorization: Digest c=3",
  ],
  "form body and url query": [
    "client_id=abc&client_secret=s3cr3tvalue1234567890&grant_type=client_credentials",
    "POST body: grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https://x",
    "body: password=hunter2",
    "form_body='secret=abcdefghijklmnopqrstuvwxyz'",
    "q=search&page=2&sort=asc",
    "cli%65nt_secret=abc123&x=1",
    "request https://api.example.com/v1?api_key=abcdefghijklmnopqrstuvwxyz&format=json",
    "https://example.com/cb?code=abc&state=xyz",
    "https://example.com/?access_token=&next=1",
    "token=abcdef&next=1",
    "first line\nclient_secret=abc&x=1\nthird",
    "a=1&password=p4ss&b=2 in text",
  ],
  "config assignment": [
    "password: hunter2",
    "api_key = abcdefghijklmnop123456",
    "db.password=correcthorsebatterystaple",
    "smtp_pass: mypassword123",
    "passphrase=verylongpassphrase1234",
    "secret_key: 'single-quoted-secret-value'",
    "tokens: 5",
    "max_tokens: 4096",
    "Password: Hunter2Hunter2",
    "secret: `backticked-secret-value-1234`",
    "token:",
    "  client-secret: abcdefghijklmnopqrstuvwxyz",
  ],
  "cli flag": [
    "--password hunter2 --token=abcdefghijklmnopqrstuvwxyz",
    "pass --token or --password",
    "run --api-key 'sk-quoted-abcdefghijkl'",
  ],
  "pem block": [
    "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234567890abcdef\nabcdefghijklmnopqrstuvwxyz\n-----END RSA PRIVATE KEY-----\ndone",
    "-----BEGIN PRIVATE KEY-----MIIabc-----END PRIVATE KEY-----",
    "-----BEGIN EC PRIVATE KEY-----\r\nMHcCAQEEIabc\r\n-----END EC PRIVATE KEY-----",
    "a\n-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\nmiddle\n-----BEGIN OPENSSH PRIVATE KEY-----\nBBB\n-----END OPENSSH PRIVATE KEY-----\nz",
    "-----BEGIN PRIVATE KEY-----\nMIIunfinished\nno end here",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----",
    "-----begin rsa private key-----\nabc\n-----end rsa private key-----",
    '{"key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----"}',
    "------BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----END PRIVATE KEY-----",
  ],
  mixed: [
    "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and ghp_abcdefghijklmnop1234",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "https://user:p4ssw0rd@example.com/path?token=abcdefghijklmnopqrstuv",
    "mysql://root:rootpass@localhost/db and password: x",
    "nothing secret here at all",
    "GHP_ABCDEFGHIJKLMNOP1234 akiaabcdefghijklmnop",
  ],
  "aws secret access key": [
    "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in text",
    "https://example.com/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "https://user:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY@example.com/",
    "s3://bucket/path/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY@x",
    "data:text/plain;base64,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sha da39a3ee5e6b4b0d3255bfef95601890afd80709 is hex",
    "x_wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX is 41 long",
    '("https://h.io/p" wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)',
    "http://h:99/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  ],
  "field value": [
    { text: "my app password is abcd-efgh-ijkl-mnop", note: "abcd-efgh-ijkl-mnop" },
    {
      message: "slug open-claw-main-test",
      label: "API_KEY=abcdefghijklmnopqrstuvwx",
      OPENAI_API_KEY: "$OPENAI_API_KEY",
    },
    { CARD_CVC: 123, content: "Authorization: Basic dXNlcjpwYXNzd29yZA==", reason: "wxyz-abcd-qrst-uvwx" },
  ],
};

async function main(): Promise<void> {
  const tokens = await redactWithReference(SAMPLES);
  const samples = Object.entries(CONTEXT_SAMPLES).flatMap(([rule, inputs]) => inputs.map((input) => ({ rule, input })));
  const context = await redactWithReference(samples.map(({ input }) => input));
  const fixtures = new URL("../tests/fixtures/trajectory/", import.meta.url);
  await Deno.writeTextFile(
    new URL("reference_token_redaction.json", fixtures),
    JSON.stringify(SAMPLES.map((input, i) => ({ input, redacted: tokens[i] })), null, 2) + "\n",
  );
  await Deno.writeTextFile(
    new URL("reference_context_redaction.json", fixtures),
    JSON.stringify(samples.map((sample, i) => ({ ...sample, redacted: context[i] })), null, 2) + "\n",
  );
}

await main();
