import assert from "node:assert/strict";
import { startTurn } from "../../src/agent/run_transcript.ts";
import { IMAGES_OMITTED, withoutImages } from "../../src/agent/run_model.ts";
import { SessionStore } from "../../src/sessions/store.ts";

Deno.test("startTurn: a message's images are kept in the transcript as image parts after its text, and read back", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-images-" });
  const sessions = new SessionStore(stateDir);
  try {
    await sessions.ensure("agent:main:main", "main");
    const images = [{ data: "AQID", mimeType: "image/png" }];
    await startTurn(sessions, {
      sessionKey: "agent:main:main",
      agentId: "main",
      persist: true,
      message: "what is this?",
      runId: "r1",
      images,
    });
    const { messages } = await sessions.history("agent:main:main", "main");
    assert.deepEqual(messages.at(-1)!.content, [
      { type: "text", text: "what is this?" },
      { type: "image", data: "AQID", mimeType: "image/png" },
    ]);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("withoutImages: a text-only model gets the user's text with the reference's omission note instead of images", () => {
  const messages = withoutImages([
    { role: "user", text: "look", images: [{ data: "AQID", mimeType: "image/png" }] },
    { role: "user", text: "", images: [{ data: "AQID", mimeType: "image/png" }] },
    { role: "user", text: "plain" },
  ]);
  assert.deepEqual(messages, [
    { role: "user", text: `look\n\n${IMAGES_OMITTED}` },
    { role: "user", text: IMAGES_OMITTED },
    { role: "user", text: "plain" },
  ]);
});
