// Records tests/fixtures/trajectory/reference_token_redaction.json: what the reference OpenClaw 2026.9.6's own
// redaction (`redactSecrets`, which its trajectory export applies to text) makes of one sample of each token
// shape, run in the reference's Node from its bundle. The samples are made-up tokens of the vendors' formats.
//
//   deno run -A tools/record_reference_token_redaction.ts
import { PEER_NODE_BIN, PEER_PACKAGE, requirePeer } from "../tests/support/peer.ts";

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

async function main(): Promise<void> {
  requirePeer();
  // The bundle's export names are minified: the trajectory export's own import line names the chunk and the
  // letter redactSecrets goes by.
  let found: RegExpMatchArray | null | undefined;
  for await (const entry of Deno.readDir(`${PEER_PACKAGE}/dist`)) {
    if (!entry.name.startsWith("export-trajectory-")) continue;
    const text = await Deno.readTextFile(`${PEER_PACKAGE}/dist/${entry.name}`);
    found ??= text.match(/import \{[^}]*\b(\w+) as redactSecrets\b[^}]*\} from "\.\/(redact-[\w-]+\.mjs)"/);
  }
  if (!found) throw new Error("the reference's trajectory export imports no redactSecrets");
  const [, letter, redact] = found;
  const script = `const m = await import(${JSON.stringify(`${PEER_PACKAGE}/dist/${redact}`)});
const samples = JSON.parse(process.argv[1]);
process.stdout.write(JSON.stringify(samples.map((input) => ({ input, redacted: m[${
    JSON.stringify(letter)
  }](input) }))));`;
  const output = await new Deno.Command(`${PEER_NODE_BIN}/node`, {
    args: ["--input-type=module", "-e", script, JSON.stringify(SAMPLES)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`node exited ${output.code}`);
  const out = new URL("../tests/fixtures/trajectory/reference_token_redaction.json", import.meta.url);
  await Deno.writeTextFile(out, JSON.stringify(JSON.parse(new TextDecoder().decode(output.stdout)), null, 2) + "\n");
}

await main();
