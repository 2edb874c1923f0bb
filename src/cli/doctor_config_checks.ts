// doctor's checks of the config itself: the file as written (validity, the legacy
// `gateway.token` key, `gateway.mode`), the secret it resolves to, and the models it names.
// The service, port and file-mode checks live in doctor_checks.ts.
import JSON5 from "json5";
import { ConfigError } from "../config/errors.ts";
import { ignoredKeys } from "../config/implemented_keys.ts";
import { loadConfig } from "../config/load.ts";
import { modelConfigProblems } from "../config/model_apis.ts";
import { resolveGatewayConfig } from "../config/resolve.ts";
import { writeConfigFile } from "../config/write.ts";
import { isJsonObject } from "../log/json_object.ts";
import { readStoredToken } from "../state/stored_token.ts";
import type { DoctorContext, Finding } from "./doctor_checks.ts";

async function authoredTree(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON5.parse(await Deno.readTextFile(path));
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Config validity, the legacy `gateway.token` key, and `gateway.mode`. Never deletes a config. */
export async function checkConfig(ctx: DoctorContext): Promise<Finding[]> {
  const path = ctx.paths.configPath;
  const tree = await authoredTree(path);
  const gatewayNode = tree?.gateway;
  const legacyGateway = isJsonObject(gatewayNode) && "token" in gatewayNode ? gatewayNode : undefined;
  const legacy = tree !== undefined && legacyGateway !== undefined;
  const findings: Finding[] = [];
  if (tree !== undefined && legacyGateway !== undefined) {
    findings.push({
      id: "config-legacy-gateway-token",
      severity: "error",
      message: 'Found "gateway.token" in config. Use "gateway.auth.token" instead.',
      fix: {
        describe: "moved gateway.token to gateway.auth.token",
        writesConfig: true,
        run: async () => {
          const gateway = { ...legacyGateway };
          const token = gateway.token;
          delete gateway.token;
          const auth = { ...(isJsonObject(gateway.auth) ? gateway.auth : {}) };
          auth.token ??= token;
          await writeConfigFile(path, { ...tree, gateway: { ...gateway, auth } });
        },
      },
    });
  }
  try {
    const snapshot = await loadConfig(path, ctx.env);
    if (!snapshot.exists) {
      findings.push({ id: "config-missing", severity: "warn", message: `No config at ${path}. Run openclaw setup.` });
    } else if (snapshot.config.gateway?.mode !== "local") {
      findings.push({
        id: "config-gateway-mode",
        severity: "warn",
        message: "gateway.mode is unset; gateway start will be blocked.",
        fix: {
          describe: "set gateway.mode=local",
          writesConfig: true,
          run: async () => {
            const authored = structuredClone(snapshot.authored);
            authored.gateway = { ...(isJsonObject(authored.gateway) ? authored.gateway : {}), mode: "local" };
            await writeConfigFile(path, authored, { expectedHash: snapshot.hash });
          },
        },
      });
    } else {
      findings.push({ id: "config-valid", severity: "ok", message: `Config valid: ${path}` });
    }
    const ignored = ignoredKeys(snapshot.authored);
    if (ignored.length > 0) {
      findings.push({
        id: "config-ignored-keys",
        severity: "warn",
        message: `Config keys this gateway does not implement (loaded, but they do nothing): ${
          ignored.join(", ")
        }. See docs/compatibility.md`,
      });
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (!legacy) findings.push({ id: "config-invalid", severity: "error", message: error.message });
  }
  return findings;
}

/** A secret exists for the gateway: configured, from the environment, or stored. */
export async function checkAuth(ctx: DoctorContext): Promise<Finding[]> {
  try {
    const snapshot = await loadConfig(ctx.paths.configPath, ctx.env);
    const resolved = resolveGatewayConfig({ paths: ctx.paths, config: snapshot.config, env: ctx.env });
    if (resolved.auth.mode === "none") {
      return [{
        id: "auth-none",
        severity: "warn",
        message: "gateway.auth.mode is none: anyone who reaches the port controls the gateway.",
      }];
    }
    const stored = await readStoredToken(ctx.paths.stateDir);
    if (resolved.auth.token ?? resolved.auth.password ?? stored) {
      return [{ id: "auth-present", severity: "ok", message: `Auth: ${resolved.auth.mode} secret present` }];
    }
    return [{
      id: "auth-missing",
      severity: "warn",
      message: "No gateway secret yet; the first start generates and stores one.",
    }];
  } catch {
    return []; // config problems are reported by the config check
  }
}

/** Provider `api` values this gateway cannot run and agent models it cannot resolve: runs would fail on them. */
export async function checkModels(ctx: DoctorContext): Promise<Finding[]> {
  try {
    const snapshot = await loadConfig(ctx.paths.configPath, ctx.env);
    return modelConfigProblems(snapshot.config).map((problem) => ({
      id: "model-config",
      severity: "warn" as const,
      message: problem.message,
    }));
  } catch {
    return []; // config problems are reported by the config check
  }
}
