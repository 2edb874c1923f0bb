// The process tool's actions and arguments, as the reference declares them.

/** The reference's process actions. */
export const PROCESS_ACTIONS = [
  "list",
  "poll",
  "log",
  "write",
  "send-keys",
  "submit",
  "paste",
  "kill",
  "clear",
  "remove",
] as const;

/** The reference's process arguments. */
export const PROCESS_PARAMETERS = {
  type: "object",
  properties: {
    action: {
      type: "string",
      enum: [...PROCESS_ACTIONS],
      description: "Process action (list|poll|log|write|send-keys|submit|paste|kill|clear|remove)",
    },
    sessionId: { type: "string", description: "Required for every action except list." },
    data: { type: "string", description: "Data to write for write" },
    keys: { type: "array", items: { type: "string" }, description: "Key tokens to send for send-keys" },
    hex: { type: "array", items: { type: "string" }, description: "Hex bytes to send for send-keys" },
    literal: { type: "string", description: "Literal string for send-keys" },
    text: { type: "string", description: "Text to paste for paste" },
    bracketed: { type: "boolean", description: "Wrap paste in bracketed mode" },
    eof: { type: "boolean", description: "Close stdin after write" },
    offset: { type: "number", description: "Log offset" },
    limit: { type: "number", description: "Log length" },
    timeout: {
      type: "number",
      description:
        "For poll: wait up to this many milliseconds before returning; max 30000 ms, higher values are clamped to 30000",
      minimum: 0,
    },
  },
  required: ["action"],
} as const;
