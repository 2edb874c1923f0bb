import type { MethodCall } from "../../src/rpc/registry.ts";

/** The caller an in-process method test runs as: a loopback CLI operator with these scopes. */
export function operatorCaller(scopes: string[]): MethodCall["caller"] {
  return { connId: "c", role: "operator", scopes, clientId: "cli", clientMode: "cli", remoteAddr: "127.0.0.1" };
}
