import { RpcError } from "../errors.ts";
import type { NodeRegistry } from "../node_registry.ts";
import { type CallerIdentity, type MethodTable, NODE_ROLE, validated } from "../registry.ts";

/** Dependencies of the methods a node calls about itself. */
export interface NodeSelfMethodsDeps {
  nodes: NodeRegistry;
  /** Every binary the agents' skills require or install, sorted; none when absent. */
  skillBins?(): Promise<string[]>;
}

function nodeIdOf(caller: CallerIdentity): string {
  if (!caller.deviceId) throw new RpcError("INVALID_REQUEST", "nodeId required");
  return caller.deviceId;
}

/**
 * What a connected node calls about itself (node role only): invocation progress, the tools and
 * skills it publishes, and its pending-work queue. This gateway queues no work for nodes
 * (`node.pending.enqueue` is not served), so the queue methods answer with the empty queue.
 */
export function nodeSelfMethods(deps: NodeSelfMethodsDeps): MethodTable {
  const { nodes } = deps;
  const publish = (caller: CallerIdentity, update: Parameters<NodeRegistry["publish"]>[2]) => {
    const nodeId = nodeIdOf(caller);
    if (!nodes.publish(nodeId, caller.connId, update)) throw new RpcError("INVALID_REQUEST", "unknown nodeId");
    return nodeId;
  };
  return {
    "node.invoke.progress": validated(NODE_ROLE, "validateNodeInvokeProgressParams", ({ params, caller }) => {
      // Progress is accepted but not relayed: node.invoke answers once, with the result.
      return { ok: true, ignored: !nodes.waiting(nodeIdOf(caller), params.invokeId) };
    }),
    "node.pluginTools.update": validated(NODE_ROLE, "validateNodePluginToolsUpdateParams", ({ params, caller }) => {
      return { nodeId: publish(caller, { pluginTools: params.tools }), tools: params.tools };
    }),
    "node.skills.update": validated(NODE_ROLE, "validateNodeSkillsUpdateParams", ({ params, caller }) => {
      return { nodeId: publish(caller, { skills: params.skills }), skills: params.skills };
    }),
    "node.pending.pull": validated(NODE_ROLE, "validateNodeListParams", ({ caller }) => ({
      nodeId: nodeIdOf(caller),
      actions: [],
    })),
    "node.pending.ack": validated(NODE_ROLE, "validateNodePendingAckParams", ({ params, caller }) => ({
      nodeId: nodeIdOf(caller),
      ackedIds: [...new Set(params.ids.map((id) => id.trim()).filter(Boolean))],
      remainingCount: 0,
    })),
    "node.pending.drain": validated(NODE_ROLE, "validateNodePendingDrainParams", ({ caller }) => ({
      nodeId: nodeIdOf(caller),
      revision: 0,
      items: [],
      hasMore: false,
    })),
    // The executables the gateway's skills need; this gateway has no skills.
    "skills.bins": validated(NODE_ROLE, "validateSkillsBinsParams", async () => ({
      bins: deps.skillBins ? await deps.skillBins() : [],
    })),
  };
}
