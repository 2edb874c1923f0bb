// Hook messages are untrusted text from outside: the reference hands them to the agent inside
// markers, after a notice that nothing in them is an instruction. The same here, unless a mapping
// sets `allowUnsafeExternalContent`.

import { EXTERNAL_CONTENT_WARNING, sanitizeExternalText } from "../agent/external_content.ts";

/** The prompt for external content: run facts, the notice, and the content between random-id markers. */
export function wrapExternalContent(input: {
  content: string;
  source: "webhook" | "email";
  taskName: string;
  jobId: string;
  receivedAt: string;
}): string {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
  const name = sanitizeExternalText(input.taskName).replace(/[\r\n]+/g, " ");
  return [
    `Job ID: ${input.jobId} | Received: ${input.receivedAt}`,
    "",
    EXTERNAL_CONTENT_WARNING,
    "",
    `<<<EXTERNAL_UNTRUSTED_CONTENT id="${id}">>>`,
    `Source: ${input.source === "email" ? "Email" : "Webhook"}`,
    `Task: ${name}`,
    "---",
    sanitizeExternalText(input.content),
    `<<<END_EXTERNAL_UNTRUSTED_CONTENT id="${id}">>>`,
  ].join("\n");
}
