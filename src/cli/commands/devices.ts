import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

interface PendingRow {
  requestId: string;
  deviceId: string;
  clientId: string;
  platform: string;
  browserOrigin?: string;
  scopes: string[];
  remoteIp: string;
  isRepair: boolean;
  ts: number;
}

interface PairedRow {
  deviceId: string;
  clientId: string;
  platform: string;
  scopes: string[];
  approvedVia: string;
  lastSeenAtMs: number;
}

/**
 * One RPC to the running gateway with the scopes it needs (pairing approvals may grant only
 * scopes the approver holds, so approving asks for admin).
 */
async function call<T>(
  options: RpcOptions,
  action: string,
  scopes: string[],
  method: string,
  params: Record<string, unknown>,
  show: (payload: T) => number,
): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  try {
    const connection = await connectGateway(target, { scopes, timeoutMs });
    try {
      return show(await connection.request<T>(method, params, timeoutMs));
    } finally {
      connection.close();
    }
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action });
  }
}

/** `openclaw devices list`: pending device-pairing requests and paired devices. */
export function devicesList(options: RpcOptions): Promise<number> {
  return call<{ pending: PendingRow[]; paired: PairedRow[] }>(
    options,
    "Devices list",
    ["operator.pairing"],
    "device.pair.list",
    {},
    (result) => {
      if (options.json) {
        printJson(result);
        return 0;
      }
      printLine(`Pending (${result.pending.length})`);
      for (const r of result.pending) {
        const from = r.browserOrigin ? `${r.remoteIp} ${r.browserOrigin}` : r.remoteIp;
        printLine(
          `  ${r.requestId}  ${r.clientId} (${r.platform}) from ${from}  ${r.isRepair ? "upgrade to" : "requests"}: ${
            r.scopes.join(", ") || "(no scopes)"
          }`,
        );
      }
      printLine(`Paired (${result.paired.length})`);
      for (const d of result.paired) {
        printLine(
          `  ${d.deviceId.slice(0, 16)}…  ${d.clientId} (${d.platform})  ${d.scopes.join(", ")}  via ${d.approvedVia}`,
        );
      }
      if (result.pending.length > 0) printLine("Approve with: openclaw devices approve <requestId>");
      return 0;
    },
  );
}

/**
 * `openclaw devices approve [requestId] [--latest]`: approves one pending request by its exact id.
 * Without an id (or with `--latest`) it only shows the newest request and exits 1, as the reference
 * does, so nothing is approved by accident.
 */
export function devicesApprove(
  requestId: string | undefined,
  options: RpcOptions & { latest?: boolean },
): Promise<number> {
  if (requestId && !options.latest) {
    return call<{ device: PairedRow }>(
      options,
      "Devices approve",
      ["operator.admin"],
      "device.pair.approve",
      { requestId },
      (result) => {
        if (options.json) printJson(result);
        else printLine(`Approved device ${result.device.deviceId} (${result.device.scopes.join(", ")}).`);
        return 0;
      },
    );
  }
  return call<{ pending: PendingRow[] }>(
    options,
    "Devices approve",
    ["operator.pairing"],
    "device.pair.list",
    {},
    (result) => {
      const newest = result.pending.at(-1);
      if (!newest) {
        printError("No pending device pairing requests.");
        return 1;
      }
      if (options.json) printJson({ preview: newest });
      else {
        printLine(`Newest request: ${newest.requestId} from ${newest.remoteIp} (${newest.clientId})`);
        printLine(`  scopes: ${newest.scopes.join(", ") || "(none)"}`);
        printLine(`Approve it with: openclaw devices approve ${newest.requestId}`);
      }
      return 1;
    },
  );
}

/** `openclaw devices reject <requestId>`: drops a pending request. */
export function devicesReject(requestId: string, options: RpcOptions): Promise<number> {
  return call<{ requestId: string }>(
    options,
    "Devices reject",
    ["operator.pairing"],
    "device.pair.reject",
    { requestId },
    (result) => {
      if (options.json) printJson(result);
      else printLine(`Rejected request ${result.requestId}.`);
      return 0;
    },
  );
}

/** `openclaw devices remove <deviceId>`: forgets a paired device and closes its connections. */
export function devicesRemove(deviceId: string, options: RpcOptions): Promise<number> {
  const trimmed = deviceId.trim();
  if (!trimmed) {
    printError("deviceId is required. Run openclaw devices list to choose a paired device.");
    return Promise.resolve(1);
  }
  return call<unknown>(
    options,
    "Devices remove",
    ["operator.admin"],
    "device.pair.remove",
    { deviceId: trimmed },
    (r) => {
      if (options.json) printJson(r);
      else printLine(`Removed ${trimmed}`);
      return 0;
    },
  );
}

/** `openclaw devices rename --device <id> --name <label>`: the operator's label for a device. */
export function devicesRename(options: RpcOptions & { device?: string; name?: string }): Promise<number> {
  const deviceId = options.device?.trim() ?? "";
  const label = options.name?.trim() ?? "";
  if (!deviceId || !label) {
    printError("--device and --name are required. Run openclaw devices list to choose a paired device.");
    return Promise.resolve(1);
  }
  return call<unknown>(
    options,
    "Devices rename",
    ["operator.pairing"],
    "device.pair.rename",
    { deviceId, label },
    (r) => {
      if (options.json) printJson(r);
      else printLine(`Renamed ${deviceId} → ${label}`);
      return 0;
    },
  );
}

/** Options of `devices rotate` / `devices revoke`. */
export interface DeviceTokenOptions extends RpcOptions {
  device?: string;
  role?: string;
  /** `--scope` (repeatable); false for `--no-scopes`. */
  scope?: string[];
  scopes?: boolean;
}

function deviceAndRole(options: DeviceTokenOptions): { deviceId: string; role: string } | undefined {
  const deviceId = options.device?.trim() ?? "";
  const role = options.role?.trim() ?? "";
  if (deviceId && role) return { deviceId, role };
  printError("--device and --role are required. Run openclaw devices list to choose a paired device.");
  return undefined;
}

/** `openclaw devices rotate --device <id> --role <role> [--scope s...|--no-scopes]`: a new device token (JSON). */
export function devicesRotate(options: DeviceTokenOptions): Promise<number> {
  const required = deviceAndRole(options);
  if (!required) return Promise.resolve(1);
  const scopes = options.scopes === false ? [] : options.scope;
  const params = scopes === undefined ? required : { ...required, scopes };
  return call<unknown>(options, "Devices rotate", ["operator.admin"], "device.token.rotate", params, (r) => {
    printJson(r);
    return 0;
  });
}

/** `openclaw devices revoke --device <id> --role <role>`: revokes a device token (JSON). */
export function devicesRevoke(options: DeviceTokenOptions): Promise<number> {
  const required = deviceAndRole(options);
  if (!required) return Promise.resolve(1);
  return call<unknown>(options, "Devices revoke", ["operator.admin"], "device.token.revoke", required, (r) => {
    printJson(r);
    return 0;
  });
}
