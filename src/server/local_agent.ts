// `openclaw agent --local`: one agent run in this process, without a gateway, on the same state dir,
// config, session store, run engine and tools a gateway would use (no channels: `message` refuses).
// Answers with exactly what the gateway's `agent` method would have answered.
import { parseBoolean } from "../config/boolean_value.ts";
import { writeAccessFor } from "../state/state_write_fence.ts";
import type { AgentsConfig } from "../agent/agents_config.ts";
import { AgentRuns } from "../agent/runs.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import { pathExists, resolvePaths } from "../config/paths.ts";
import { loadConfig } from "../config/load.ts";
import { agentRunSecretNeed } from "../config/agent_secret_places.ts";
import type { ConfigSnapshot } from "../config/load.ts";
import { authSection } from "../config/provider_credentials.ts";
import { materializeProviderRefs } from "../config/provider_refs.ts";
import { resolveConfig } from "../config/resolve.ts";
import { getLogger } from "../log/logger.ts";
import { finalPayload, requestedModel, targetOf } from "../rpc/methods/agent.ts";
import { RpcError } from "../rpc/errors.ts";
import { modelFacts } from "../rpc/methods/session_view.ts";
import { SessionStore } from "../sessions/store.ts";
import { loadStoreReader, resolveConfigSecretRefs, type StartRequest } from "./prepare.ts";
import { gatewayToolHost } from "./tool_host.ts";

/** One local run's request, as the CLI's flags name it. */
export interface LocalAgentRequest {
  message: string;
  agentId?: string | undefined;
  sessionKey?: string | undefined;
  model?: string | undefined;
  timeoutMs: number;
}

/** A local run's answer: the `agent` method's final payload, or its failure. */
export type LocalAgentResult =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; runId: string | undefined; message: string };

/** The shape of {@link runAgentLocally}, for the CLI's lazy import and tests. */
export type RunLocalAgent = typeof runAgentLocally;

/**
 * The config the run reads: the SecretRefs of the places an agent run uses resolved through `secrets.providers`, in
 * this process, by the resolver a gateway's start uses (loaded only when there is such a ref). A required one that
 * does not resolve ends the command, as the reference's `agent --local` ends; an optional one runs as if unset.
 */
export async function withAgentRunSecrets(
  snapshot: ConfigSnapshot,
  deps: { env: EnvSnapshot; stateDir: string },
): Promise<{ ok: true; config: ConfigSnapshot["config"] } | { ok: false; message: string }> {
  const store: Pick<StartRequest, "storeReader"> = {};
  await loadStoreReader(store, snapshot);
  const refs = await resolveConfigSecretRefs(snapshot.config, {
    ...deps,
    storeReader: store.storeReader,
    only: (path) => agentRunSecretNeed(path) !== undefined,
  });
  const failure = refs.failures.find((failed) => agentRunSecretNeed(failed.path) === "required");
  if (failure) {
    // The reference's frame (`agent: failed to resolve secrets …`, then what to check), with the reason it hides.
    return {
      ok: false,
      message:
        `agent: failed to resolve secrets locally (${failure.reason} ${failure.path} refers to ${failure.label}).` +
        " Check the configured secret sources, then retry.",
    };
  }
  return { ok: true, config: materializeProviderRefs(snapshot.config, refs) };
}

/** Runs one agent turn in-process and closes what it opened. */
export async function runAgentLocally(
  input: LocalAgentRequest,
  options: { env: EnvSnapshot; profile?: string | undefined; dev?: boolean | undefined },
): Promise<LocalAgentResult> {
  const paths = resolvePaths({ env: options.env, profile: options.profile, dev: options.dev, exists: pathExists });
  const snapshot = await loadConfig(paths.configPath, options.env);
  const secrets = await withAgentRunSecrets(snapshot, { env: options.env, stateDir: paths.stateDir });
  if (!secrets.ok) return { ok: false, runId: undefined, message: secrets.message };
  const config = resolveConfig({ paths, config: secrets.config, env: options.env });
  const agents = (): AgentsConfig => config.agents;
  let target: { agentId: string; sessionKey: string };
  let model;
  try {
    target = targetOf(agents(), { agentId: input.agentId, sessionKey: input.sessionKey });
    model = requestedModel(agents(), target.agentId, { model: input.model });
  } catch (error) {
    return { ok: false, runId: undefined, message: error instanceof Error ? error.message : String(error) };
  }
  const sessions = new SessionStore(paths.stateDir, {
    stateAccess: writeAccessFor(options.env.OPENCLAW_SUPERVISOR_MODE),
  });
  const runs: AgentRuns = new AgentRuns({
    sessions,
    agents,
    emit: () => {},
    log: getLogger("agent/local"),
    toolHost: gatewayToolHost({
      sessions,
      agents,
      config: () => config,
      stateDir: paths.stateDir,
      home: options.env.HOME || undefined,
      runs: () => runs,
    }),
    // The key the gateway would send: the auth profiles onboard stored, the environment, the config.
    credentials: {
      stateDir: paths.stateDir,
      env: (name) => options.env[name],
      auth: () => authSection(snapshot.config),
    },
    // As the gateway's runs: the run's trajectory events, unless OPENCLAW_TRAJECTORY turns them off.
    trajectory: parseBoolean(options.env.OPENCLAW_TRAJECTORY) ?? true,
    rawConfig: () => snapshot.config,
  });
  try {
    const runId = crypto.randomUUID();
    // The deadline is the run's own: past it the run ends as the reference's timed-out turn.
    const started = runs.start({
      ...target,
      message: input.message,
      idempotencyKey: runId,
      model,
      timeoutMs: input.timeoutMs,
    });
    if (started.kind !== "accepted") return { ok: false, runId, message: "the run did not start" };
    const outcome = await started.done;
    const requested = model ?? agents().agents.find((a) => a.id === target.agentId)?.model;
    try {
      const payload = finalPayload(outcome, {
        message: input.message,
        sessionKey: target.sessionKey,
        requested,
        contextTokens: (ref) => modelFacts({ models: config.models }, ref).contextTokens,
      });
      return { ok: true, payload };
    } catch (error) {
      if (error instanceof RpcError) return { ok: false, runId, message: error.message };
      throw error;
    }
  } finally {
    // Closes the profile store's connection, if the run opened it (the run itself has ended); the run's
    // trajectory events are written before the store closes.
    runs.abortAll();
    await runs.settled();
    await sessions.close();
  }
}
