// What the operator should know at start about the sandbox as configured: bwrap has no bridge, so a
// `docker.network` other than "none" shares the gateway host's network namespace, loopback included.
import type { AgentsConfig } from "./resolve_agents.ts";

/** One warning per agent whose sandbox shares the host's network (host and container:* are refused at exec). */
export function sandboxNetworkWarnings(agents: AgentsConfig): string[] {
  return agents.agents.flatMap((agent) => {
    const sandbox = agent.sandbox;
    if (!sandbox || sandbox.mode === "off" || sandbox.network === "none") return [];
    if (sandbox.network === "host" || sandbox.network.startsWith("container:")) return [];
    return [
      `agent "${agent.id}": sandbox docker.network "${sandbox.network}" shares the gateway host's network with sandboxed commands (bwrap has no bridge): they can reach the host's loopback services, this gateway's port and local databases included. Set docker.network "none" unless the sandbox needs the network.`,
    ];
  });
}
