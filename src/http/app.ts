import { Hono } from "hono";
import type { Logger } from "../log/logger.ts";
import { HTTPException } from "hono/http-exception";
import { type ControlUiDeps, controlUiRoutes } from "./control_ui.ts";
import { type DeviceJoinDeps, deviceJoinMiddleware } from "./device_join.ts";
import { embeddingsRoutes } from "./embeddings.ts";
import { type ProbeDeps, probeRoutes } from "./health.ts";
import { type HooksDeps, hooksMiddleware } from "./hooks.ts";
import { internalServerError, notFound } from "./http_error.ts";
import { type OpenAiDeps, openAiRoutes } from "./openai.ts";
import { responsesRoutes } from "./responses.ts";
import { type ToolsDeps, toolsRoutes } from "./tools.ts";
import type { HttpEnv } from "./types.ts";

/** Dependencies of the HTTP app. */
export interface HttpAppDeps {
  probes: ProbeDeps;
  /** The OpenAI-compatible API; absent in apps built without agents. */
  openai?: OpenAiDeps | undefined;
  /** Inbound hooks; absent in apps built without agents. */
  hooks?: HooksDeps | undefined;
  /** `/tools/invoke`; absent in apps built without agents. */
  tools?: ToolsDeps | undefined;
  /** The Control UI; absent in apps built without it. */
  controlUi?: ControlUiDeps | undefined;
  /** Join URLs (`/j/<shortcode>`); absent in apps built without them. */
  deviceJoin?: DeviceJoinDeps | undefined;
  log: Logger;
}

/** Headers on every HTTP response, as the reference sends them. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(), microphone=(self), geolocation=()",
};

/** Composes the HTTP surface of the gateway: probes first, the OpenAI-compatible API, then a plain-text 404. */
export function createHttpApp(deps: HttpAppDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.use(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  app.route("/", probeRoutes(deps.probes));
  // Before hooks, the APIs and the Control UI, as the reference routes its core-owned join paths.
  if (deps.deviceJoin) app.use(deviceJoinMiddleware(deps.deviceJoin));
  // After the probes (which always win), before the APIs, as in the reference's routing order.
  if (deps.hooks) app.use(hooksMiddleware(deps.hooks));
  if (deps.tools) app.route("/", toolsRoutes(deps.tools));
  if (deps.openai) {
    app.route("/", responsesRoutes(deps.openai));
    app.route("/", embeddingsRoutes(deps.openai));
    app.route("/", openAiRoutes(deps.openai));
  }
  // Last: its routes are fixed names under the base path, after every API route.
  if (deps.controlUi) app.route("/", controlUiRoutes(deps.controlUi));
  app.notFound(() => notFound().getResponse());
  // The one place an HTTP error becomes a response: a route's refusal as it is worded, anything
  // else as the reference's bare 500, its detail in the log (a placeholder, so it is redacted
  // like every other log value and its braces are not read as placeholders).
  app.onError((error) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log.error("http handler failed: {detail}", { detail: error.stack ?? error.message });
    return internalServerError();
  });
  return app;
}
