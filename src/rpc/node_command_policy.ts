// Which node commands an operator may invoke or approve, from the reference's own lists
// (openclaw 2026.9.6: src/infra/node-commands.ts, node-pairing-authz.ts, gateway/node-command-policy.ts).
// Its per-platform allowlist is not modelled here: a node's declared and approved commands stand in for it.
import { RpcError } from "./errors.ts";

/** The exec family (`NODE_SYSTEM_RUN_COMMANDS`). */
export const NODE_SYSTEM_RUN_COMMANDS: readonly string[] = ["system.run.prepare", "system.run", "system.which"];

/** A node's exec-approval store: reached through `exec.approvals.node.*`, never through `node.invoke`. */
export const NODE_EXEC_APPROVALS_COMMANDS: readonly string[] = ["system.execApprovals.get", "system.execApprovals.set"];

/** Commands whose direct invocation crosses a host boundary: `operator.admin` only (`NODE_ADMIN_ONLY_INVOKE_COMMANDS`). */
export const NODE_ADMIN_ONLY_INVOKE_COMMANDS: readonly string[] = [
  "browser.proxy",
  "browser.proxy.upload.v1",
  "fs.listDir",
  "terminal.upload",
];

/** The gateway's private worker controls: never advertised, never invocable by an operator. */
export const NODE_WORKER_PRIVATE_COMMANDS: readonly string[] = [
  "worker.bundle.install.v1",
  "worker.launch.v1",
  "worker.status.v1",
  "worker.cancel.v1",
  "worker.environment.stop.v1",
  "worker.workspace.exec.v1",
  "worker.workspace.prepare.v1",
  "worker.workspace.retain.v1",
  "worker.desktop.stream.v1",
  "worker.desktop.launch.v1",
  "worker.desktop.computer.v1",
  "worker.portal.stream.v1",
];

/** Commands refused unless `gateway.nodes.commands.allow` names them (`DEFAULT_DANGEROUS_NODE_COMMANDS`). */
export const DEFAULT_DANGEROUS_NODE_COMMANDS: readonly string[] = [
  "camera.snap",
  "camera.clip",
  "camera.ptz.control",
  "screen.record",
  "contacts.add",
  "calendar.add",
  "reminders.add",
  "sms.send",
  "sms.search",
  "health.summary",
];

/** `gateway.nodes.commands`: extra commands allowed, and commands always refused. */
export interface NodeCommandConfig {
  allow: readonly string[];
  deny: readonly string[];
}

/** True for a private worker control (`isPrivateNodeInvokeCommand`). */
export function isPrivateNodeCommand(command: string): boolean {
  return NODE_WORKER_PRIVATE_COMMANDS.includes(command.trim());
}

/** A declared command list without the private worker controls, which no surface ever shows. */
export function publicNodeCommands(commands: readonly string[]): string[] {
  return commands.filter((command) => !isPrivateNodeCommand(command));
}

/**
 * Commands only `operator.admin` may pass to `node.invoke`: the reference's admin-only list, plus
 * the exec family, which the reference gates behind its exec-approval flow (absent here).
 */
export function isAdminOnlyInvoke(command: string): boolean {
  return NODE_ADMIN_ONLY_INVOKE_COMMANDS.includes(command) || NODE_SYSTEM_RUN_COMMANDS.includes(command);
}

function needsAdminToApprove(command: string): boolean {
  return NODE_ADMIN_ONLY_INVOKE_COMMANDS.includes(command) || NODE_SYSTEM_RUN_COMMANDS.includes(command) ||
    NODE_EXEC_APPROVALS_COMMANDS.includes(command);
}

/** The scopes approving a surface needs, as `resolveNodePairApprovalScopes` computes them. */
export function requiredApproveScopes(commands: readonly string[]): string[] {
  if (commands.some(needsAdminToApprove)) return ["operator.pairing", "operator.admin"];
  return commands.length > 0 ? ["operator.pairing", "operator.write"] : ["operator.pairing"];
}

/** The refusal `node.invoke` answers before looking at the node: private controls and the exec-approval store. */
export function forbiddenInvoke(command: string): RpcError | undefined {
  if (isPrivateNodeCommand(command)) {
    return new RpcError("INVALID_REQUEST", "node.invoke does not allow private node controls", {
      details: { command },
    });
  }
  if (NODE_EXEC_APPROVALS_COMMANDS.includes(command)) {
    return new RpcError(
      "INVALID_REQUEST",
      "node.invoke does not allow system.execApprovals.*; use exec.approvals.node.*",
      { details: { command } },
    );
  }
  return undefined;
}

/**
 * The config's verdict on a command: denied by `gateway.nodes.commands.deny`, or dangerous and not
 * opted into by `gateway.nodes.commands.allow`; the reference's hint, word for word.
 */
export function policyRefusal(command: string, config: NodeCommandConfig): RpcError | undefined {
  const listed = (list: readonly string[]) => list.some((entry) => entry.trim() === command);
  let hint: string | undefined;
  if (listed(config.deny)) hint = `node command not allowed: "${command}" is blocked by gateway.nodes.commands.deny`;
  else if (DEFAULT_DANGEROUS_NODE_COMMANDS.includes(command) && !listed(config.allow)) {
    hint = `node command not allowed: "${command}" requires explicit gateway.nodes.commands.allow opt-in`;
  }
  return hint === undefined
    ? undefined
    : new RpcError("INVALID_REQUEST", hint, { details: { reason: "command not allowlisted", command } });
}
