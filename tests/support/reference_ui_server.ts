// Serves the reference's own Control UI (the static web app inside the reference npm package) on
// loopback from the test itself: it is a test client, never shipped in our product. The page is
// pointed at a gateway with the UI's documented `?gatewayUrl=` handoff (docs/web/urls.md, "Remote
// Gateway handoff"), so the gateway under test sees the browser as a foreign origin it allows.
import { PEER_PACKAGE, requirePeer } from "./peer.ts";

/** The reference Control UI's built files. */
export const REFERENCE_UI_ROOT = `${PEER_PACKAGE}/dist/control-ui`;

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  webmanifest: "application/manifest+json",
  svg: "image/svg+xml",
  png: "image/png",
  webp: "image/webp",
  jpg: "image/jpeg",
  ico: "image/x-icon",
  woff2: "font/woff2",
  woff: "font/woff",
  wasm: "application/wasm",
  txt: "text/plain; charset=utf-8",
};

/** A running static server for the reference Control UI. */
export interface ReferenceUiServer {
  /** `http://127.0.0.1:<port>`, the page's origin (to allow in `gateway.controlUi.allowedOrigins`). */
  origin: string;
  port: number;
  /** Paths requested that had no file (the app's own routes are answered with the document). */
  missing: string[];
  stop(): Promise<void>;
}

/**
 * The document as the reference gateway prepares it (seen on its own HTTP answer): the mount prefix
 * stamped on <html> and asset URLs made absolute, so deep routes such as /settings/agents load them.
 */
export function prepareDocument(html: string): string {
  return html
    .replace("<html ", `<html data-openclaw-control-ui-base-path="" `)
    .replaceAll(/(src|href)="\.\//g, `$1="/`);
}

/** The link that opens the UI at `route` against the gateway at `gatewayPort`, the token in the fragment. */
export function uiLink(server: ReferenceUiServer, route: string, gatewayPort: number, token: string): string {
  const gatewayUrl = encodeURIComponent(`ws://127.0.0.1:${gatewayPort}`);
  return `${server.origin}${route}?gatewayUrl=${gatewayUrl}#token=${encodeURIComponent(token)}`;
}

/** Starts the server on `port` (0: any free loopback port). */
export function startReferenceUiServer(port = 0): Promise<ReferenceUiServer> {
  requirePeer();
  const documentText = prepareDocument(Deno.readTextFileSync(`${REFERENCE_UI_ROOT}/index.html`));
  const missing: string[] = [];
  const { promise, resolve } = Promise.withResolvers<number>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: (addr) => resolve(addr.port) },
    async (request) => {
      const path = decodeURIComponent(new URL(request.url).pathname);
      const document = () =>
        new Response(documentText, { headers: { "content-type": TYPES.html!, "cache-control": "no-store" } });
      if (path === "/" || path === "/index.html") return document();
      if (path.split("/").includes("..")) return new Response("not found", { status: 404 });
      const extension = path.slice(path.lastIndexOf(".") + 1);
      try {
        const body = await Deno.readFile(`${REFERENCE_UI_ROOT}${path}`);
        return new Response(body, {
          headers: { "content-type": TYPES[extension] ?? "application/octet-stream", "cache-control": "no-store" },
        });
      } catch {
        // A file-like path that is not there is a real miss; anything else is one of the app's routes.
        if (/^\/(assets|themes|fonts|file-icons|provider-icons)\//.test(path) || path === "/sw.js") {
          missing.push(path);
          return new Response("not found", { status: 404 });
        }
        return document();
      }
    },
  );
  return promise.then((bound) => ({
    origin: `http://127.0.0.1:${bound}`,
    port: bound,
    missing,
    stop: () => server.shutdown(),
  }));
}
