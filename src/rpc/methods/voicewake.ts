// `voicewake.get`: the wake words a talking client listens for. This gateway has no voice features,
// so it keeps none (the reference answers its configured or default words).
import { emptyParams, type MethodTable } from "../registry.ts";

/** `voicewake.get`. */
export function voicewakeMethods(): MethodTable {
  return { "voicewake.get": { scope: "operator.read", check: emptyParams, handler: () => ({ triggers: [] }) } };
}
