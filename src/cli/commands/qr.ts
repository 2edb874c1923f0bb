import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { resolveSecretInput } from "../../config/resolve_auth.ts";
import { resolvePort } from "../../config/resolve_listen.ts";
import type { SecretInput } from "../../config/schema.ts";
import { accessOf, LIMITED_SETUP_PROFILE, VOICE_NODE_SETUP_PROFILE } from "../../state/bootstrap_profile.ts";
import { issueBootstrapToken } from "../../state/bootstrap_tokens.ts";
import { openStateDb } from "../../state/state_db.ts";
import { cliWriteAccess, isFenceRefusal } from "./state_write_access.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson, printLine } from "../output.ts";
import { encodeSetupCode, resolveQrSetup } from "../../state/pairing_setup.ts";
import { externalIpv4Addresses } from "../../config/host_facts.ts";
import { devicePairPublicUrl } from "../../config/pairing_setup_facts.ts";

/** Options of `openclaw qr`, as commander parses them. */
export interface QrOptions extends GlobalOptions {
  remote?: boolean;
  url?: string;
  publicUrl?: string;
  token?: string;
  password?: string;
  limited?: boolean;
  voiceNode?: boolean;
  setupCodeOnly?: boolean;
  /** Commander's `--no-ascii` sets this to false. */
  ascii?: boolean;
  json?: boolean;
}

/** Printed (on stderr with `--setup-code-only`) when a full code was limited for plain ws://. */
const LIMITED_TRANSPORT_WARNING =
  "This Gateway URL uses plaintext ws://, so the setup code was limited for safety. Use wss:// or Tailscale Serve, then generate a new code for full access.";

/** A refusal `openclaw qr` prints as one line on stderr (exit 1), in the reference's words. */
class QrRefusal extends Error {
  override name = "QrRefusal";
}

function trimmed(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/**
 * `openclaw qr`: issues a setup-code bootstrap token in the shared state database and prints the
 * setup code (and its QR) a phone scans to pair, as the reference does.
 */
export async function qr(options: QrOptions): Promise<number> {
  try {
    return await issueSetupCode(options);
  } catch (error) {
    if (error instanceof QrRefusal || error instanceof ConfigError || isFenceRefusal(error)) {
      // As the reference's command runtime: with --json the failure is JSON on stdout plus its block on stderr.
      if (options.json) {
        printJson({ ok: false, error: { type: "cli_error", message: error.message } });
        printFailureBlock(error.message);
      } else printError(error.message);
      return 1;
    }
    throw error;
  }
}

async function issueSetupCode(options: QrOptions): Promise<number> {
  if (options.token && options.password) throw new QrRefusal("Use either --token or --password, not both.");
  if (options.limited && options.voiceNode) throw new QrRefusal("Use either --limited or --voice-node, not both.");
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const snapshot = await loadConfig(paths.configPath, env);
  const gateway = snapshot.config.gateway ?? {};
  const wantsRemote = options.remote === true;
  const flagUrl = trimmed(options.url) ?? trimmed(options.publicUrl);
  const tailscaleMode = gateway.tailscale?.mode ?? "off";
  if (
    wantsRemote && !flagUrl && !trimmed(gateway.remote?.url) && tailscaleMode !== "serve" && tailscaleMode !== "funnel"
  ) {
    throw new QrRefusal("qr --remote requires gateway.remote.url (or gateway.tailscale.mode=serve/funnel).");
  }
  const secret = (value: SecretInput | undefined, key: string) =>
    resolveSecretInput(value, { key, env, readSecretFile: (path) => Deno.readTextFileSync(path) });
  let authMode: string | undefined = gateway.auth?.mode;
  let token = trimmed(env.OPENCLAW_GATEWAY_TOKEN) ?? trimmed(secret(gateway.auth?.token, "gateway.auth.token"));
  let password = trimmed(env.OPENCLAW_GATEWAY_PASSWORD) ??
    trimmed(secret(gateway.auth?.password, "gateway.auth.password"));
  const flagToken = trimmed(options.token);
  const flagPassword = trimmed(options.password);
  if (flagToken) [authMode, token, password] = ["token", flagToken, undefined];
  if (flagPassword) [authMode, token, password] = ["password", undefined, flagPassword];
  if (wantsRemote && !flagToken && !flagPassword) {
    const remoteToken = trimmed(secret(gateway.remote?.token, "gateway.remote.token"));
    const remotePassword = trimmed(secret(gateway.remote?.password, "gateway.remote.password"));
    if (remoteToken) [authMode, token, password] = ["token", remoteToken, undefined];
    else if (remotePassword) [authMode, token, password] = ["password", undefined, remotePassword];
  }
  const { port } = resolvePort({
    env: env.OPENCLAW_GATEWAY_PORT,
    configPort: gateway.port,
    profile: paths.profile,
    dev: paths.dev,
  });
  const setup = resolveQrSetup({
    authMode,
    token,
    password,
    bind: gateway.bind,
    customBindHost: gateway.customBindHost,
    tlsEnabled: gateway.tls?.enabled === true,
    port,
    remoteUrl: gateway.remote?.url,
    tailscaleMode,
    publicUrl: flagUrl ?? (wantsRemote ? undefined : devicePairPublicUrl(snapshot.authored)),
    preferRemoteUrl: wantsRemote,
    profile: options.voiceNode ? VOICE_NODE_SETUP_PROFILE : options.limited ? LIMITED_SETUP_PROFILE : undefined,
    addresses: externalIpv4Addresses(),
  });
  if (!setup.ok) throw new QrRefusal(setup.error);

  const db = openStateDb(paths.stateDir, cliWriteAccess());
  let issued: { token: string; expiresAtMs: number };
  try {
    issued = issueBootstrapToken(db, setup.profile, Date.now());
  } finally {
    db.close();
  }
  const setupCode = encodeSetupCode({ url: setup.url, bootstrapToken: issued.token, expiresAtMs: issued.expiresAtMs });
  const access = accessOf(setup.profile);
  if (options.json) {
    printJson({
      setupCode,
      gatewayUrl: setup.url,
      auth: setup.authLabel,
      urlSource: setup.urlSource,
      access,
      ...(setup.accessDowngraded ? { accessDowngraded: true } : {}),
    });
    return 0;
  }
  if (options.setupCodeOnly) {
    if (setup.accessDowngraded) printError(LIMITED_TRANSPORT_WARNING);
    printLine(setupCode);
    return 0;
  }
  const lines = ["Pairing QR", "Scan this with the OpenClaw mobile app (Onboarding -> Scan QR).", ""];
  if (options.ascii !== false) {
    const { qrTerminal } = await import("../../text/qr_terminal.ts");
    lines.push((await qrTerminal(setupCode)).trimEnd(), "");
  }
  lines.push(
    `Setup code: ${setupCode}`,
    `Gateway: ${setup.url}`,
    `Auth: ${setup.authLabel}`,
    `Access: ${access}`,
    ...(setup.accessDowngraded ? [LIMITED_TRANSPORT_WARNING] : []),
    `Source: ${setup.urlSource}`,
    "",
    "Approve after scan with:",
    "  openclaw devices list",
    "  openclaw devices approve <requestId>",
  );
  printLine(lines.join("\n"));
  return 0;
}
