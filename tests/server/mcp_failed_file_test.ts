import assert from "node:assert/strict";
import { mcpFailedFilePath, readMcpFailedServers, writeMcpFailedServers } from "../../src/server/mcp_failed_file.ts";

Deno.test("the failed MCP servers file round-trips, and reads as none when missing or torn", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await readMcpFailedServers(stateDir), []);
    const failed = [{ name: "crashy", fingerprint: "f1", failures: 5, lastError: "mcp transport closed", retryAt: 9 }];
    await writeMcpFailedServers(stateDir, failed);
    assert.deepEqual(await readMcpFailedServers(stateDir), failed);
    await writeMcpFailedServers(stateDir, []);
    assert.deepEqual(await readMcpFailedServers(stateDir), []);
    await Deno.writeTextFile(mcpFailedFilePath(stateDir), "{torn");
    assert.deepEqual(await readMcpFailedServers(stateDir), []);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
