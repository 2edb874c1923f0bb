import { ChannelError } from "./errors.ts";

/** An HTTP handler a channel account serves on the gateway's port. */
export type WebhookHandler = (request: Request) => Promise<Response>;

/**
 * The webhook paths channel accounts serve on the gateway's port (Telegram webhook mode), each
 * owned by one account: two accounts must never share a path.
 */
export class WebhookRoutes {
  #handlers = new Map<string, WebhookHandler>();
  #owners = new Map<string, string>();

  /** Serves `path` for `owner`; throws when another account serves it. Returns the unmount function. */
  mount(owner: string, path: string, handler: WebhookHandler): () => void {
    const current = this.#owners.get(path);
    if (current && current !== owner) {
      throw new ChannelError(
        "invalid",
        `webhook path ${path} is already served for ${current}; give this account its own webhookPath`,
      );
    }
    this.#handlers.set(path, handler);
    this.#owners.set(path, owner);
    return () => {
      if (this.#handlers.get(path) !== handler) return;
      this.#handlers.delete(path);
      this.#owners.delete(path);
    };
  }

  /** The handler for a request's path, if any; costs nothing on the HTTP hot path while none is mounted. */
  handlerFor(request: Request): WebhookHandler | undefined {
    if (this.#handlers.size === 0) return undefined;
    return this.#handlers.get(new URL(request.url).pathname);
  }
}
