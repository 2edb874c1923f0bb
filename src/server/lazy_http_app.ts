import type { HttpBindings } from "../http/types.ts";
import type { HttpWiring } from "./http_wiring.ts";

/** What the listener hands HTTP requests to (the Hono app of http_wiring.ts). */
export interface HttpApp {
  fetch(request: Request, env: HttpBindings): Response | Promise<Response>;
}

/**
 * An HTTP app built on its first request: the router, the OpenAI-compatible API, hooks and their
 * transforms (about 120 KB of code and the Node compatibility modules hook transforms use) are not
 * loaded by a gateway that only serves WebSocket clients, and never delay start-up. A failed load
 * fails that request and is retried by the next one.
 */
export function lazyHttpApp(load: () => Promise<HttpApp>): HttpApp {
  let app: HttpApp | undefined;
  let loading: Promise<HttpApp> | undefined;
  const loaded = () =>
    loading ??= load().then((built) => (app = built), (error) => {
      loading = undefined;
      throw error;
    });
  return {
    fetch(request, env) {
      return app ? app.fetch(request, env) : loaded().then((built) => built.fetch(request, env));
    },
  };
}

/** {@link buildHttpApp} of http_wiring.ts, loaded with the first HTTP request ({@link lazyHttpApp}). */
export function buildHttpAppLazily(w: HttpWiring): HttpApp {
  return lazyHttpApp(async () => (await import("./http_wiring.ts")).buildHttpApp(w));
}
