// The gateway service's commands (`install|uninstall|start|stop|restart|status`), built once and
// hung under both `openclaw gateway` and the reference's legacy alias `openclaw daemon`, so the two
// spellings can never drift apart. Each action imports its command file lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";
import { addRpcOptions } from "./rpc_options.ts";

/** Options a parent passes down to every service command (the alias's own `--json`). */
export type InheritedOptions = () => { json?: boolean };

/** Adds the service commands to `parent`; `inherited` supplies the parent's own flags, if any. */
export function addServiceCommands(
  parent: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
  inherited: InheritedOptions = () => ({}),
): void {
  const service = () => import("./commands/gateway_service.ts");
  // A parent's `--json` (`daemon --json status`) counts as the command's own, as the reference's does.
  const merged = <T extends { json?: boolean }>(options: T): T & GlobalOptions => {
    const json = options.json || inherited().json;
    return { ...globals(), ...options, ...(json ? { json } : {}) };
  };
  parent.command("install").description("install and start the gateway as a service")
    .option("--port <port>", "port to pin in the unit")
    .option("--system", "a system-level systemd unit (always-on multi-user hosts)")
    .option("--force", "rewrite the unit even if it is unchanged")
    .option("--allow-unconfigured", "install even without a config file")
    .option("--json", "print JSON")
    .action((options) => run(async () => (await service()).gatewayInstall(merged(options))));
  parent.command("uninstall").description("stop and remove the gateway service")
    .option("--system", "the system-level unit").option("--json", "print JSON")
    .action((options) => run(async () => (await service()).gatewayUninstall(merged(options))));
  for (const action of ["start", "stop", "restart"] as const) {
    parent.command(action).description(`${action} the gateway service`)
      .option("--system", "the system-level unit").option("--json", "print JSON")
      .action((options) => run(async () => (await service()).gatewayControl(action, merged(options))));
  }
  addRpcOptions(parent.command("status").description("service, config, listener and probe of the gateway"), "10000")
    .option("--deep", "also inspect system-level units")
    .option("--no-probe", "skip the RPC probe")
    .option("--require-rpc", "exit 1 unless a read RPC succeeds")
    .action((options) =>
      run(async () => (await import("./commands/gateway_status.ts")).gatewayStatus(merged(options)))
    );
}
