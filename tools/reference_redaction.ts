// Runs the reference OpenClaw 2026.9.6's own export redaction on values, in its Node from its bundle: a string
// as `redactSecrets` redacts text, an object as its trajectory export redacts one (`sanitizeDiagnosticPayload`,
// then `redactSecrets`). Used by the recorder of the redaction fixtures and by the random comparison tool.
import { PEER_NODE_BIN, PEER_PACKAGE, requirePeer } from "../tests/support/peer.ts";

// The bundle's export names are minified: the trajectory export's own import lines name the chunks and the
// letters redactSecrets and sanitizeDiagnosticPayload go by.
async function referenceImports(): Promise<{ redact: [string, string]; project: [string, string] }> {
  let redact: RegExpMatchArray | null | undefined;
  let project: RegExpMatchArray | null | undefined;
  for await (const entry of Deno.readDir(`${PEER_PACKAGE}/dist`)) {
    if (!entry.name.startsWith("export-trajectory-")) continue;
    const text = await Deno.readTextFile(`${PEER_PACKAGE}/dist/${entry.name}`);
    redact ??= text.match(/import \{[^}]*\b(\w+) as redactSecrets\b[^}]*\} from "\.\/(redact-[\w-]+\.mjs)"/);
    project ??= text.match(/import \{[^}]*\b(\w+) as sanitizeDiagnosticPayload\b[^}]*\} from "\.\/([\w-]+\.mjs)"/);
  }
  if (!redact?.[1] || !redact[2] || !project?.[1] || !project[2]) {
    throw new Error(
      `cannot find redactSecrets and sanitizeDiagnosticPayload among the imports of ${PEER_PACKAGE}/dist/export-trajectory-*.mjs: ` +
        "the reference's bundle changed; read its export-trajectory chunk and update tools/reference_redaction.ts",
    );
  }
  return { redact: [redact[1], redact[2]], project: [project[1], project[2]] };
}

/** Each of `inputs` as the reference's trajectory export redacts it. */
export async function redactWithReference(inputs: readonly unknown[]): Promise<unknown[]> {
  requirePeer();
  const { redact, project } = await referenceImports();
  const script = `const m = await import(${JSON.stringify(`${PEER_PACKAGE}/dist/${redact[1]}`)});
const p = await import(${JSON.stringify(`${PEER_PACKAGE}/dist/${project[1]}`)});
const redact = m[${JSON.stringify(redact[0])}];
const project = p[${JSON.stringify(project[0])}];
let input = "";
for await (const chunk of process.stdin) input += chunk;
const values = JSON.parse(input);
process.stdout.write(JSON.stringify(values.map((value) =>
  typeof value === "string" ? redact(value) : redact(project(structuredClone(value))))));`;
  const child = new Deno.Command(`${PEER_NODE_BIN}/node`, {
    args: ["--input-type=module", "-e", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(inputs)));
  await writer.close();
  const output = await child.output();
  if (!output.success) throw new Error(`the reference's node exited ${output.code} while redacting`);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}
