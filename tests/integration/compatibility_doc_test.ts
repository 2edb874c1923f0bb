import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { REPO_ROOT, startGateway, tempHome } from "../support/spawn_gateway.ts";

/** Rows of the `| <header> | status |` table (deno fmt pads cells, so cells are trimmed). */
function documented(doc: string, header: string): Map<string, string> {
  const rows = new Map<string, string>();
  const lines = doc.split("\n");
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${header}\\s*\\|\\s*status\\s*\\|$`).test(line.trim()));
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const [name, status] = line.split("|").slice(1, -1).map((cell) => cell.trim());
    const only = /^`([^`]+)`$/.exec(name ?? "");
    if (only && status) rows.set(only[1]!, status);
  }
  return rows;
}

Deno.test("docs/compatibility.md lists exactly the methods and events the gateway advertises", async () => {
  const doc = await Deno.readTextFile(`${REPO_ROOT}/docs/compatibility.md`);
  const home = await tempHome({ gateway: { mode: "local", auth: { token: "doc-token-0123456789abcdef" } } });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const session = await connectReference({ port, token: "doc-token-0123456789abcdef" });
    const features = session.hello.features as { methods: string[]; events: string[] };
    session.stop();
    for (const [kind, advertised] of [["method", features.methods], ["event", features.events]] as const) {
      const rows = documented(doc, kind);
      const implemented = [...rows].filter(([, status]) => status.startsWith("implemented")).map(([name]) => name);
      assert.deepEqual(implemented.sort(), [...advertised].sort(), `${kind}s marked implemented = ${kind}s advertised`);
    }
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});
