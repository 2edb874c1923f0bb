// The refusal every `openclaw config set|unset|patch` edit check throws (src/config/config_edit.ts
// and the checks beside it): its message is the reference's, word for word.

/** An edit the reference refuses; the message is its own, word for word. */
export class ConfigEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigEditError";
  }
}
