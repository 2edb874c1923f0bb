/**
 * A client's media part refused (bad base64, wrong type, too large, URL blocked): logged with this
 * detail, answered with the endpoint's own 400 (the reference words that answer without it), or
 * with `clientMessage` where the refusal is ours alone and the client needs to know why.
 */
export class MediaInputError extends Error {
  override name = "MediaInputError";
  /** Set when the client is told this refusal in words of its own (HEIC, PDF images). */
  readonly clientMessage: string | undefined;
  constructor(message: string, options: { clientMessage?: string } = {}) {
    super(message);
    this.clientMessage = options.clientMessage;
  }
}
