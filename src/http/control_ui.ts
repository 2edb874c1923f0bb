import { Hono } from "hono";
import { hostAllowed } from "../auth/origin_check.ts";
import { notFound, plainError } from "./http_error.ts";
import type { HttpEnv } from "./types.ts";

/** What the Control UI routes read per request (hot-reloadable) and at build (the base path). */
export interface ControlUiDeps {
  /** `gateway.controlUi.basePath`, normalized ("" for the root); a change restarts the gateway. */
  basePath: string;
  settings(): { enabled: boolean; allowedOrigins: readonly string[] };
}

/**
 * The UI's own policy: scripts, styles and connections only from this origin, no framing, no
 * inline code, no plugins. The page holds the gateway token, so nothing else may run in it.
 */
export const CONTROL_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const UI_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTROL_UI_CSP,
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-cache",
};

/**
 * Serves the embedded Control UI at `basePath`: the page at the base, its assets under
 * `assets/`, and its icon as `/favicon.ico`. Only those names exist (no file system behind them, so no path can traverse), and
 * only for a `Host` DNS rebinding cannot forge.
 */
export function controlUiRoutes(deps: ControlUiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const base = deps.basePath;
  const serve = (name: string) => async (c: { req: { raw: Request } }) => {
    const settings = deps.settings();
    if (!settings.enabled) throw notFound();
    if (!hostAllowed(c.req.raw.headers.get("host"), settings.allowedOrigins)) {
      throw plainError(
        421,
        "This host name is not allowed to serve the Control UI. Open it by IP, localhost, a .local or .ts.net name, or add the origin to gateway.controlUi.allowedOrigins.",
      );
    }
    // Loaded on the first request: a gateway nobody opens the UI of does not hold its text.
    const { UI_ASSETS } = await import("../ui/assets.ts");
    const asset = UI_ASSETS[name]!;
    return new Response(c.req.raw.method === "HEAD" ? null : asset.body, {
      headers: { "content-type": asset.type, ...UI_HEADERS },
    });
  };
  // The page must be reached with a trailing slash so its relative asset URLs resolve under the base.
  if (base) app.get(base, (c) => c.redirect(`${base}/`, 308));
  app.get(`${base}/`, serve("index.html"));
  app.get(`${base}/index.html`, serve("index.html"));
  app.get(`${base}/assets/app.js`, serve("app.js"));
  app.get(`${base}/assets/app.css`, serve("app.css"));
  // The page links its icon; browsers also ask for /favicon.ico on their own, at the origin's root.
  app.get(`${base}/assets/favicon.svg`, serve("favicon.svg"));
  app.get("/favicon.ico", serve("favicon.svg"));
  if (base) app.get(`${base}/favicon.ico`, serve("favicon.svg"));
  return app;
}
