import assert from "node:assert/strict";
import type { PromptMessage } from "../../src/agent/provider.ts";
import { IMAGE_ONLY_USER_MESSAGE } from "../../src/http/chat_images.ts";
import { chatApiApp } from "../support/chat_api_app.ts";

// A request may carry the caller's tools and image or file parts at once (vision with function
// calling): the tool path must keep the media the plain path would take.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const TOOLS = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }];
const img = { type: "image_url", "image_url": { url: `data:image/png;base64,${PNG}` } };

function texts(context: PromptMessage[] | undefined): string[] {
  return (context ?? []).map((m) => ("text" in m ? m.text : ""));
}

Deno.test("chat completions with the caller's tools: the active turn's images reach the run with the tools", async () => {
  const { runs, post } = chatApiApp();
  let response = await post("/v1/chat/completions", {
    messages: [{ role: "user", content: [{ type: "text", text: "what is this?" }, img] }],
    tools: TOOLS,
  });
  assert.equal(response.status, 200);
  assert.equal(runs[0]!.message, "what is this?");
  assert.deepEqual(runs[0]!.images, [{ data: PNG, mimeType: "image/png" }]);
  assert.deepEqual(runs[0]!.clientTools?.map((t) => t.name), ["lookup"]);

  // Only an image: the reference's placeholder prompt, on the tool path too.
  response = await post("/v1/chat/completions", { messages: [{ role: "user", content: [img] }], tools: TOOLS });
  assert.equal(response.status, 200);
  assert.equal(runs[1]!.message, IMAGE_ONLY_USER_MESSAGE);
  assert.deepEqual(runs[1]!.images, [{ data: PNG, mimeType: "image/png" }]);

  // A follow-up whose active turn is a tool result: the earlier image is not re-sent, as the reference does.
  response = await post("/v1/chat/completions", {
    messages: [
      { role: "user", content: [{ type: "text", text: "what is this?" }, img] },
      {
        role: "assistant",
        content: null,
        "tool_calls": [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } }],
      },
      { role: "tool", "tool_call_id": "call_1", content: "a pixel" },
    ],
    tools: TOOLS,
  });
  assert.equal(response.status, 200);
  assert.equal(runs[2]!.images, undefined);
  assert.equal(runs[2]!.continuation?.length, 2);
});

Deno.test("responses with the caller's tools: input_image and input_file reach the run with the tools", async () => {
  const { runs, post } = chatApiApp();
  const response = await post("/v1/responses", {
    model: "openclaw",
    input: [{
      role: "user",
      content: [
        { type: "input_text", text: "read both" },
        { type: "input_image", source: { type: "base64", media_type: "image/png", data: PNG } },
        {
          type: "input_file",
          source: { type: "base64", media_type: "text/plain", data: btoa("the note"), filename: "note.txt" },
        },
      ],
    }],
    tools: [{ type: "function", name: "lookup", parameters: { type: "object", properties: {} } }],
  });
  assert.equal(response.status, 200);
  assert.equal(runs[0]!.message, "read both");
  assert.deepEqual(runs[0]!.images, [{ data: PNG, mimeType: "image/png" }]);
  assert.deepEqual(runs[0]!.clientTools?.map((t) => t.name), ["lookup"]);
  assert.ok(
    texts(runs[0]!.context).some((text) => text.includes('<file name="note.txt">') && text.includes("the note")),
  );
});
