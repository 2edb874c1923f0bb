// A streamed chat completion's content delta, written as text around the delta instead of a fresh
// object spread and stringified per chunk: every delta of an answer shares the same id, created,
// model and shape, so only the content needs encoding (JSON.stringify of the string alone).

/** The fields every `chat.completion.chunk` of one answer starts with. */
export interface ChunkBase {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: unknown;
}

/**
 * The `data` of one content delta, byte for byte `JSON.stringify({ ...base, choices: [{ index: 0,
 * delta: { content }, finish_reason: null }] })`.
 */
export function contentDeltaFramer(base: ChunkBase): (content: string) => string {
  const whole = JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: "" }, "finish_reason": null }] });
  const cut = whole.lastIndexOf('""},"finish_reason":null}]}');
  const head = whole.slice(0, cut);
  const tail = whole.slice(cut + 2);
  return (content) => `${head}${JSON.stringify(content)}${tail}`;
}
