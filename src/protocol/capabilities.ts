// `hello-ok.features.capabilities`: the contracts this gateway keeps. Clients check these names
// before they call (the reference CLI's `models list` refuses a gateway without
// `published-model-catalog`), so a name is advertised only while the methods that honour it exist.

/** Each server capability and the methods it promises; the names are the reference's. */
export const CAPABILITY_METHODS: readonly (readonly [capability: string, methods: readonly string[]])[] = [
  // `models.list` answers from the configured (published) catalog, with `view` and `includeDetails`.
  ["published-model-catalog", ["models.list"]],
  // A restart request names the process it targets and is refused for any other.
  ["gateway-restart-target-safe-v1", ["gateway.restart.request"]],
];

/** The capabilities whose methods are all in `methods`, in table order. */
export function serverCapabilities(methods: Iterable<string>): string[] {
  const have = new Set(methods);
  return CAPABILITY_METHODS.filter(([, needs]) => needs.every((m) => have.has(m))).map(([name]) => name);
}
