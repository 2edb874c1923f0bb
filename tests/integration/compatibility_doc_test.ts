import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { REPO_ROOT, startGateway, tempHome } from "../support/spawn_gateway.ts";

/** Rows of every `| <header> | status |` table (deno fmt pads cells, so cells are trimmed). */
function documented(doc: string, header: string): Map<string, string> {
  const rows = new Map<string, string>();
  const lines = doc.split("\n");
  const heading = new RegExp(`^\\|\\s*${header}\\s*\\|\\s*status\\s*\\|$`);
  lines.forEach((line, index) => {
    if (!heading.test(line.trim())) return;
    for (const row of lines.slice(index + 2)) {
      if (!row.startsWith("|")) break;
      const [name, status] = row.split("|").slice(1, -1).map((cell) => cell.trim());
      const only = /^`([^`]+)`$/.exec(name ?? "");
      if (only && status) rows.set(only[1]!, status);
    }
  });
  return rows;
}

/** Answered by the gateway: implemented with its own data, or in the reference's "feature off" shape. */
const answered = (status: string) => status.startsWith("implemented") || status.startsWith("feature off");
/** Answered but, as in the reference, left out of `hello-ok`. */
const unadvertised = (status: string) => status.includes("not in `hello-ok`");

Deno.test("docs/compatibility.md lists exactly the methods and events the gateway advertises", async () => {
  const doc = await Deno.readTextFile(`${REPO_ROOT}/docs/compatibility.md`);
  const home = await tempHome({ gateway: { mode: "local", auth: { token: "doc-token-0123456789abcdef" } } });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const session = await connectReference({ port, token: "doc-token-0123456789abcdef" });
    try {
      const features = session.hello.features as { methods: string[]; events: string[] };
      for (const [kind, advertised] of [["method", features.methods], ["event", features.events]] as const) {
        const rows = [...documented(doc, kind)];
        const listed = rows.filter(([, status]) => answered(status) && !unadvertised(status)).map(([name]) => name);
        assert.deepEqual(listed.sort(), [...advertised].sort(), `${kind}s marked answered = ${kind}s advertised`);
      }
      // A method documented as answered but unadvertised is still answered, never `unknown method`.
      for (const [name, status] of documented(doc, "method")) {
        if (!answered(status) || !unadvertised(status)) continue;
        await session.request(name, {}).catch((error: Error) => {
          assert.ok(!error.message.includes("unknown method"), `${name}: ${error.message}`);
        });
      }
    } finally {
      session.stop();
    }
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});
