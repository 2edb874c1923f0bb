// The `openclaw nodes` command tree as the reference names and flags it (2026.9.6): status,
// describe, list, pending, approve, reject, remove, rename, invoke, notify and location get, all
// through the gateway's `node.*` RPCs. Each action imports its command file lazily. camera,
// screen and push are not served (they need media files or APNs): they fail as an unknown
// command does.
import { type Command, Option } from "commander";
import type { GlobalOptions } from "./main.ts";

const NODE_FLAG = "--node <idOrNameOrIp>";
const NODE_HELP = "Node id, name, or IP";

/**
 * The connection flags the reference's nodes commands take (`--url`, `--token`, `--timeout`,
 * `--json`, in its words): no `--password` or `--port`, which it refuses as unknown options.
 */
function nodesCallOpts(command: Command, defaultTimeout: string): Command {
  return command
    .option("--url <url>", "Gateway WebSocket URL (defaults to gateway.remote.url when configured)")
    .option("--token <token>", "Gateway token (if required)")
    .option("--timeout <ms>", "Timeout in ms", defaultTimeout)
    .option("--json", "Output JSON", false);
}

/** Adds `openclaw nodes …` to `program`. */
export function addNodesCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const nodes = program.command("nodes").description(
    "Manage gateway-owned nodes (pairing, status, invoke, and media)",
  );
  const status = () => import("./commands/nodes_status.ts");
  const pairing = () => import("./commands/nodes_pairing.ts");
  const invoke = () => import("./commands/nodes_invoke.ts");
  const opts = <T>(options: T) => ({ ...globals(), ...options });

  nodesCallOpts(
    nodes.command("status").description("List known nodes with connection status and capabilities"),
    "10000",
  )
    .option("--connected", "Only show connected nodes")
    .option("--last-connected <duration>", "Only show nodes connected within duration (e.g. 24h)")
    .action((o) => run(async () => (await status()).nodesStatus(opts(o))));
  nodesCallOpts(
    nodes.command("describe").description("Describe a node (capabilities + supported invoke commands)"),
    "10000",
  )
    .requiredOption(NODE_FLAG, NODE_HELP)
    .action((o) => run(async () => (await status()).nodesDescribe(opts(o))));
  nodesCallOpts(nodes.command("list").description("List pending and paired nodes"), "10000")
    .option("--connected", "Only show connected nodes")
    .option("--last-connected <duration>", "Only show nodes connected within duration (e.g. 24h)")
    .action((o) => run(async () => (await import("./commands/nodes_list.ts")).nodesList(opts(o))));

  nodesCallOpts(nodes.command("pending").description("List pending pairing requests"), "10000")
    .action((o) => run(async () => (await pairing()).nodesPending(opts(o))));
  nodesCallOpts(
    nodes.command("approve").description("Approve a pending pairing request").argument(
      "<requestId>",
      "Pending request id",
    ),
    "10000",
  ).action((id: string, o) => run(async () => (await pairing()).nodesApprove(id, opts(o))));
  nodesCallOpts(
    nodes.command("reject").description("Reject a pending pairing request").argument(
      "<requestId>",
      "Pending request id",
    ),
    "10000",
  ).action((id: string, o) => run(async () => (await pairing()).nodesReject(id, opts(o))));
  nodesCallOpts(nodes.command("remove").description("Remove a paired node entry"), "10000")
    .requiredOption(NODE_FLAG, NODE_HELP)
    .action((o) => run(async () => (await pairing()).nodesRemove(opts(o))));
  nodesCallOpts(nodes.command("rename").description("Rename a paired node (display name override)"), "10000")
    .requiredOption(NODE_FLAG, NODE_HELP)
    .requiredOption("--name <displayName>", "New display name")
    .action((o) => run(async () => (await pairing()).nodesRename(opts(o))));

  nodesCallOpts(nodes.command("invoke").description("Invoke a command on a paired node"), "30000")
    .requiredOption(NODE_FLAG, NODE_HELP)
    .requiredOption("--command <command>", "Command (e.g. canvas.navigate)")
    .option("--params <json>", "JSON object string for params", "{}")
    .option("--invoke-timeout <ms>", "Node invoke timeout in ms (default 15000)", "15000")
    .option("--idempotency-key <key>", "Idempotency key (optional)")
    .action((o) => run(async () => (await invoke()).nodesInvoke(opts(o))));
  nodesCallOpts(nodes.command("notify").description("Send a local notification on a node"), "10000")
    .requiredOption(NODE_FLAG, NODE_HELP)
    .option("--title <text>", "Notification title")
    .option("--body <text>", "Notification body")
    .option("--sound <name>", "Notification sound")
    .addOption(
      new Option("--priority <passive|active|timeSensitive>", "Notification priority")
        .choices(["passive", "active", "timeSensitive"]),
    )
    .addOption(
      new Option("--delivery <system|overlay|auto>", "Delivery mode").choices(["system", "overlay", "auto"])
        .default("system"),
    )
    .option("--invoke-timeout <ms>", "Node invoke timeout in ms (default 15000)", "15000")
    .action((o) => run(async () => (await invoke()).nodesNotify(opts(o))));
  const location = nodes.command("location").description("Fetch location from a paired node");
  nodesCallOpts(location.command("get").description("Fetch the current location from a node"), "30000")
    .requiredOption(NODE_FLAG, NODE_HELP)
    .option("--max-age <ms>", "Use cached location newer than this (ms)")
    .option(
      "--accuracy <coarse|balanced|precise>",
      "Desired accuracy (default: balanced/precise depending on node setting)",
    )
    .option("--location-timeout <ms>", "Location fix timeout (ms)", "10000")
    .option("--invoke-timeout <ms>", "Node invoke timeout in ms (default 20000)", "20000")
    .action((o) => run(async () => (await invoke()).nodesLocationGet(opts(o))));
}
