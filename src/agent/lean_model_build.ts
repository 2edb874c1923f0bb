// Builds the lean chat model (docs/decisions/0017) beside the SDK's model of the same provider and
// model id; loaded with the provider packages on a gateway's first run, not at start.
import type { ProviderSpec } from "./agents_config.ts";
import type { LeanChatModel } from "./lean_chat_model.ts";
import type { UpstreamPool } from "./upstream_pool.ts";

/**
 * The lean model for an OpenAI-compatible `provider` and `model`. It borrows the SDK model's chunk
 * schema and failed-response handler for the rare chunks and failures it hands back to them;
 * without those (another SDK build) there is none, and the SDK's model takes every call. With
 * `pool`, its requests go over the gateway's kept-alive connections (upstream_pool.ts).
 */
export async function buildLeanModel(
  provider: ProviderSpec,
  model: string,
  sdk: object,
  pool?: UpstreamPool | undefined,
): Promise<LeanChatModel | undefined> {
  const schema: unknown = Reflect.get(sdk, "chunkSchema");
  const failedResponseHandler: unknown = Reflect.get(sdk, "failedResponseHandler");
  if (typeof schema !== "object" || schema === null || typeof failedResponseHandler !== "function") return undefined;
  const { LeanChatModel } = await import("./lean_chat_model.ts");
  return new LeanChatModel(
    {
      name: provider.id,
      baseURL: provider.baseUrl,
      apiKey: provider.apiKey,
      headers: provider.headers,
      // Its body is read into one reused buffer by the lean model itself (compactFetch's purpose).
      fetch: (url, init) => fetch(url, init),
      pool,
    },
    model,
    // deno-lint-ignore no-explicit-any -- the SDK's own handler, called back exactly as it calls it.
    { schema, failedResponseHandler: failedResponseHandler as any },
  );
}
