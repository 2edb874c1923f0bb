// The exec family as the catalog lists it: loaded on the first run that builds a catalog (not at
// start-up), over the registry the gateway lends. Without a registry there is no exec.
import type { ToolFamily } from "./tool.ts";

/** `exec` and `process` over `host.processes`; none when the gateway lends no registry. */
export const execTools: ToolFamily = async (host, agent) => {
  if (!host.processes) return [];
  const { execFamily } = await import("./exec_family.ts");
  return execFamily(host.processes)(host, agent);
};
