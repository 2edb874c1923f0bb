import type { Command } from "commander";
import type { TargetFlags } from "../client/target.ts";
import type { GlobalOptions } from "./main.ts";

/** Flags of every command that talks to a running gateway. */
export interface RpcOptions extends GlobalOptions {
  url?: string;
  port?: string;
  token?: string;
  password?: string;
  timeout?: string;
  json?: boolean;
}

/** The connection flags of a command, for `resolveTarget`. */
export function targetFlags(options: RpcOptions): TargetFlags {
  return {
    url: options.url,
    port: options.port,
    token: options.token,
    password: options.password,
    profile: options.profile,
    dev: options.dev,
  };
}

/** `--timeout <ms>` as a number, with a default. */
export function timeoutOf(options: RpcOptions, fallback: number): number {
  const ms = Number(options.timeout);
  return Number.isFinite(ms) && ms > 0 ? ms : fallback;
}

/** Adds the connection flags (`--url`, `--port`, `--token`, `--password`, `--timeout`, `--json`) to `command`. */
export function addRpcOptions(command: Command, defaultTimeout: string): Command {
  return command
    .option("--url <url>", "gateway WebSocket URL (config credentials are not sent to it)")
    .option("--port <port>", "gateway port on this host")
    .option("--token <token>", "gateway token")
    .option("--password <password>", "gateway password")
    .option("--timeout <ms>", "timeout in milliseconds", defaultTimeout)
    .option("--json", "print JSON");
}
