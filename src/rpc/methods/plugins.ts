// The plugin methods: this gateway loads no plugins, so every list is empty in the reference's shapes,
// and a plugin surface (the canvas) is unavailable, as the reference answers when no plugin serves it.
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { emptyParams, type MethodTable, validated } from "../registry.ts";

/** The Control UI plugin catalog: none, under the revision the reference gives an empty catalog. */
export async function controlUiCatalog() {
  const catalog = { plugins: [], diagnostics: [] };
  // The reference's revision is the SHA-256 of the catalog's JSON; clients compare it to detect changes.
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(catalog)));
  const revision = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return { revision, ...catalog };
}

function surfaceParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  return typeof params.surface === "string" && params.surface.trim() !== "" ? undefined : "surface required";
}

/** `plugins.controlUi.list`, `plugins.list`, `plugins.catalog.browse`, `plugin.surface.refresh`. */
export function pluginsMethods(): MethodTable {
  return {
    "plugins.controlUi.list": { scope: "operator.read", check: emptyParams, handler: () => controlUiCatalog() },
    // Plugins cannot be installed here: mutationAllowed is false.
    "plugins.list": validated(
      "operator.read",
      "validatePluginsListParams",
      () => ({ plugins: [], diagnostics: [], mutationAllowed: false }),
    ),
    "plugins.catalog.browse": { scope: "operator.read", handler: () => ({ items: [] }) },
    "plugin.surface.refresh": {
      scope: "operator.read",
      check: surfaceParams,
      handler: ({ params }) => {
        const surface = isJsonObject(params) ? String(params.surface).trim() : "";
        throw new RpcError("UNAVAILABLE", `${surface} plugin surface unavailable`);
      },
    },
  };
}
