import { messageOf } from "../../log/error_text.ts";
import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** Options of `openclaw dashboard`. */
export interface DashboardOptions extends RpcOptions {
  /** Commander's `--no-open` sets this to false. */
  open?: boolean;
}

/** The browser opener of this platform. */
function opener(): string[] {
  return Deno.build.os === "darwin"
    ? ["open"]
    : Deno.build.os === "windows"
    ? ["cmd", "/c", "start", ""]
    : ["xdg-open"];
}

/**
 * `openclaw dashboard`: checks the gateway answers, then prints (and opens) the Control UI link
 * with the token in the fragment, which browsers never send to the server.
 */
export async function dashboard(options: DashboardOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 5000);
  try {
    (await connectGateway(target, { scopes: ["operator.read"], timeoutMs })).close();
  } catch (error) {
    if (options.json) {
      printJson({ ok: false, reason: messageOf(error) });
      return 1;
    }
    return reportGatewayFailure(error, target, { json: false, action: "Dashboard" });
  }
  const httpUrl = `${target.url.replace(/^ws/, "http")}${target.controlUiBasePath}/`;
  const url = target.token ? `${httpUrl}#token=${encodeURIComponent(target.token)}` : httpUrl;
  if (options.json) {
    printJson({
      ok: true,
      url,
      browserUrl: url,
      httpUrl,
      wsUrl: target.url,
      port: target.port,
      tokenIncluded: !!target.token,
    });
    return 0;
  }
  printLine(`Dashboard URL: ${url}`);
  if (options.open === false) return 0;
  const [command, ...args] = opener();
  try {
    const status = await new Deno.Command(command!, { args: [...args, url], stdout: "null", stderr: "null" }).output();
    if (!status.success) printError(`Could not open a browser (${command} failed); open the URL above.`);
  } catch {
    printError(`Could not open a browser (${command} not found); open the URL above.`);
  }
  return 0;
}
