import assert from "node:assert/strict";
import { join } from "node:path";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "media-retention-token-0123456789";
const HOUR_S = 3600;

Deno.test("media retention: the gateway's sweep after start removes kept media older than attachments.ttlHours", async () => {
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    attachments: { ttlHours: 24 },
  });
  const inbound = join(home.stateDir, "media", "inbound");
  const outbound = join(home.stateDir, "media", "outbound");
  await Deno.mkdir(inbound, { recursive: true, mode: 0o700 });
  await Deno.mkdir(outbound, { recursive: true, mode: 0o700 });
  const now = Date.now() / 1000;
  const file = async (path: string, ageHours: number) => {
    await Deno.writeFile(path, new Uint8Array([1, 2, 3]), { mode: 0o600 });
    await Deno.utime(path, now - ageHours * HOUR_S, now - ageHours * HOUR_S);
    return path;
  };
  const oldPhoto = await file(join(inbound, "photo---0b6b2a1e-8f47-4f0e-9d43-2b1c9a2f7e11.jpg"), 48);
  const freshVoice = await file(join(inbound, "3c0c1b4e-2b53-4f73-8f5e-1d0e6d3a9b22.ogg"), 1);
  const oldOut = await file(join(outbound, "chart---6a1e2f3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b.png"), 30);
  const { proc } = await startGateway({ home: home.home, port });
  try {
    await proc.waitForLine(/media cleanup removed 2 file\(s\)/);
    await assert.rejects(() => Deno.stat(oldPhoto), Deno.errors.NotFound);
    await assert.rejects(() => Deno.stat(oldOut), Deno.errors.NotFound);
    await Deno.stat(freshVoice);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
