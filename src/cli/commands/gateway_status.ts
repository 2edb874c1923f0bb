import { messageOf } from "../../log/error_text.ts";
import { connectGateway, GatewayRequestError, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { formatIssue } from "../../config/errors.ts";
import { lockPath, readLock } from "../../server/instance_lock.ts";
import { findPortListeners } from "../../server/port_owner.ts";
import { inspectService, type ServiceRuntime } from "../../service/runtime.ts";
import { VERSION } from "../../version.ts";
import { authFailureHints, capabilityOf } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** Options of `gateway status`. */
export interface GatewayStatusOptions extends RpcOptions {
  deep?: boolean;
  probe?: boolean;
  requireRpc?: boolean;
}

interface ProbeResult {
  ok: boolean;
  kind: "connect" | "read";
  capability: string;
  auth: { role: string | null; scopes: string[] };
  server: { version: string | null; connId: string | null };
  connectLatencyMs: number | null;
  error?: string;
  connectFailure?: { kind: string };
}

async function probe(
  target: Awaited<ReturnType<typeof resolveTarget>>,
  options: { read: boolean; timeoutMs: number },
): Promise<ProbeResult> {
  const kind = options.read ? "read" : "connect";
  try {
    const connection = options.read
      ? await connectGateway(target, {
        clientId: "gateway-client",
        mode: "backend",
        displayName: "gateway:status",
        timeoutMs: options.timeoutMs,
      })
      : await connectGateway(target, { clientId: "cli", mode: "probe", timeoutMs: options.timeoutMs });
    try {
      if (options.read) await connection.request("status", {}, options.timeoutMs);
      const scopes = connection.hello.auth?.scopes ?? [];
      return {
        ok: true,
        kind,
        capability: capabilityOf(scopes),
        auth: { role: connection.hello.auth?.role ?? null, scopes },
        server: { version: connection.hello.server.version, connId: connection.hello.server.connId },
        connectLatencyMs: connection.connectLatencyMs,
      };
    } finally {
      connection.close();
    }
  } catch (error) {
    const failure = error instanceof GatewayTransportError
      ? error.kind
      : error instanceof GatewayRequestError
      ? "rejected"
      : "error";
    return {
      ok: false,
      kind,
      capability: "unknown",
      auth: { role: null, scopes: [] },
      server: { version: null, connId: null },
      connectLatencyMs: null,
      error: error instanceof GatewayTransportError ? error.reason : messageOf(error),
      connectFailure: { kind: failure },
    };
  }
}

/**
 * The `Runtime:` line: the service manager's view, else the state-dir lock and the port owner.
 * Both describe this host's gateway: for a `--url` target (a remote host, or a tunnel that may
 * lead anywhere) the runtime is unknown, whatever runs locally.
 */
async function runtimeOf(
  service: ServiceRuntime,
  input: { stateDir: string; listeners: { pid: number }[]; remoteUrl: string | undefined },
): Promise<{ status: string; pid: number | undefined; detail: string; source: string }> {
  const { stateDir, listeners } = input;
  if (input.remoteUrl !== undefined) {
    return {
      status: "unknown",
      pid: undefined,
      detail: `unknown (--url target ${input.remoteUrl}; this host's service and lock do not describe it)`,
      source: "url",
    };
  }
  if (service.loaded) {
    return { status: service.status, pid: service.pid, detail: service.detail, source: service.manager };
  }
  const lock = await readLock(lockPath(stateDir));
  if (lock && listeners.some((l) => l.pid === lock.pid)) {
    return { status: "running", pid: lock.pid, detail: `running (pid ${lock.pid}, unsupervised)`, source: "lock" };
  }
  return { status: "stopped", pid: undefined, detail: `stopped (no gateway owns ${stateDir})`, source: "lock" };
}

/**
 * `openclaw gateway status`: local facts (config, bind, port, service, listener) and a probe.
 * Prints both the runbook's `RPC probe:` and the 2026.9.6 CLI's `Connectivity probe:` /
 * `Read probe:` lines. Exit 0 even when down, except 1 when `--require-rpc` fails.
 */
export async function gatewayStatus(options: GatewayStatusOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  const [service, systemService, listeners] = await Promise.all([
    inspectService({ profile: target.profile }),
    options.deep ? inspectService({ profile: target.profile, system: true }) : Promise.resolve(undefined),
    findPortListeners(target.port),
  ]);
  const runtime = await runtimeOf(service, {
    stateDir: target.stateDir,
    listeners,
    remoteUrl: target.urlSource === "flag" ? target.url : undefined,
  });
  const result = options.probe === false
    ? undefined
    : await probe(target, { read: options.requireRpc ?? false, timeoutMs });
  const dashboard = `http://127.0.0.1:${target.port}${target.controlUiBasePath}/`;
  const portSource = target.portSource === "default" ? "default" : target.portSource;

  if (options.json) {
    printJson({
      cli: { version: VERSION, entrypoint: Deno.mainModule },
      logFile: target.logFile,
      service: {
        manager: service.manager,
        unit: service.unit,
        loaded: service.loaded,
        runtime: { status: service.status, pid: service.pid ?? null, detail: service.detail },
        ...(systemService
          ? { system: { unit: systemService.unit, loaded: systemService.loaded, status: systemService.status } }
          : {}),
      },
      runtime,
      config: {
        cli: {
          path: target.configPath,
          exists: target.configExists,
          valid: target.configError === undefined,
          issues: target.configError?.issues ?? [],
        },
      },
      gateway: {
        bindMode: target.bind,
        bindHost: target.bindHost,
        port: target.port,
        portSource,
        probeUrl: target.url,
        controlUiLinks: { httpUrl: dashboard, wsUrl: target.url },
        version: result?.server.version ?? null,
      },
      port: {
        port: target.port,
        status: listeners.length > 0 ? "busy" : "free",
        listeners: listeners.map((l) => ({ pid: l.pid, command: l.command, address: l.address })),
      },
      rpc: result
        ? {
          ...result,
          capability: result.capability.replaceAll("-", "_"),
          url: target.url,
        }
        : null,
    });
    return options.requireRpc && !result?.ok ? 1 : 0;
  }

  printLine(
    service.manager === "none"
      ? "Service: no supported service manager detected (diagnostic only, not the probe target)"
      : `Service: systemd user unit ${service.unit} (${service.loaded ? "installed" : "not installed"})`,
  );
  if (systemService?.loaded) printLine(`System service: ${systemService.unit} (${systemService.status})`);
  printLine(`File logs: ${target.logFile}`);
  printLine("");
  const configNote = !target.configExists ? " (missing)" : target.configError ? " (invalid)" : "";
  printLine(`Config (cli): ${target.configPath}${configNote}`);
  for (const issue of target.configError?.issues ?? []) printLine(`  ${formatIssue(issue, target.configPath)}`);
  printLine("");
  printLine(`Gateway: bind=${target.bind} (${target.bindHost}), port=${target.port} (${portSource})`);
  printLine(`Probe target: ${target.url}`);
  printLine(`Dashboard: ${dashboard}`);
  printLine("");
  printLine(`CLI version: ${VERSION}`);
  if (result?.server.version) printLine(`Gateway version: ${result.server.version}`);
  printLine("");
  printLine(`Runtime: ${runtime.detail}`);
  if (result) {
    const state = result.ok ? "ok" : "failed";
    const out = result.ok ? printLine : printError;
    out(`RPC probe: ${state}`);
    out(`${result.kind === "read" ? "Read probe" : "Connectivity probe"}: ${state}`);
    printLine(`Capability: ${result.capability}`);
    if (!result.ok) {
      printError(`Probe target: ${target.url}`);
      printError(`  ${result.error}`);
      // The gateway answered and refused the credentials (the reference's `unauthorized: …` text).
      const refused = result.connectFailure?.kind === "rejected" && result.error?.startsWith("unauthorized");
      if (refused) { for (const line of authFailureHints(target)) printError(line); }
    }
  }
  printLine("");
  for (const listener of listeners) printLine(`Listening: ${listener.address}`);
  if (listeners.length === 0) printLine(`Listening: nothing on port ${target.port}`);
  if (service.manager === "systemd" && service.loaded && service.status !== "running") {
    printLine("Service is loaded but not running (likely exited immediately).");
    printLine(`Logs: journalctl --user -u ${service.unit} -n 200 --no-pager`);
  }
  printLine("Troubles: run openclaw status");
  return options.requireRpc && !result?.ok ? 1 : 0;
}
