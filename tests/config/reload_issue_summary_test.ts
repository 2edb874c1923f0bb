// The reload line's rendering of config issues, against what the reference 2026.9.6 logged for the
// same configs (tests/fixtures/config_issues/reference_reload_lines.json, how in its README).
import assert from "node:assert/strict";
import { ConfigError, reloadIssueSummary } from "../../src/config/errors.ts";
import { parseConfigText } from "../../src/config/load.ts";

interface ReloadCase {
  name: string;
  config: string;
  line: string;
  differs?: string;
}

const RECORDED: { cases: ReloadCase[] } = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/config_issues/reference_reload_lines.json", import.meta.url)),
);

async function ourLine(text: string): Promise<string> {
  try {
    await parseConfigText(text, { path: "/state/openclaw.json", env: {} });
  } catch (error) {
    if (error instanceof ConfigError) {
      return `[reload] config reload skipped (invalid config): ${reloadIssueSummary(error.issues)}`;
    }
    throw error;
  }
  throw new Error("the recorded config was accepted");
}

for (const recorded of RECORDED.cases.filter((c) => c.differs === undefined)) {
  Deno.test(`reloadIssueSummary() logs "${recorded.name}" as the reference does`, async () => {
    assert.equal(await ourLine(recorded.config), recorded.line);
  });
}

Deno.test("reloadIssueSummary() keeps the reference's shape where its words differ (longer allowed lists, a located newline)", async () => {
  const [enums, newline] = ["two enums", "JSON5 unterminated string"].map((name) =>
    RECORDED.cases.find((c) => c.name === name)!
  );
  assert.equal(
    await ourLine(enums!.config),
    `[reload] config reload skipped (invalid config): logging.consoleStyle: Invalid input (allowed: "pretty", "json", "compact"), gateway.reload.mode: Invalid input (allowed: "off", "hot", "restart", "hybrid")`,
  );
  assert.equal(
    await ourLine(newline!.config),
    `[reload] config reload skipped (invalid config): : JSON5 parse failed: SyntaxError: JSON5: unexpected end of line at 3:17`,
  );
});
