// Records what the reference gateway (OpenClaw 2026.9.6) answers to the model-policy table of
// tests/support/model_policy_cases.ts: one reference gateway per config (ports 41201+), each probe
// on a fresh session (`sessions.patch {model}`, `chat.send "/model <text>"`, `models.list {agentId}`).
// Writes tests/fixtures/model_policy/reference_recordings.json. With --cli it instead runs the
// reference CLI's `models list --json` and `models status --json` on each config (no gateway) and
// writes tests/fixtures/model_policy/reference_cli_recordings.json (rows with their tags, `allowed`).
//   deno run -A tools/record_model_policy.ts [--cli] [config-name ...]
import { connectReference, type ReferenceSession } from "../tests/support/reference_client.ts";
import { startReferenceGateway } from "../tests/support/reference_gateway.ts";
import { runPeer } from "../tests/support/peer.ts";
import {
  POLICY_CONFIGS,
  policyConfig,
  type PolicyProbe,
  policyProbes,
  type ProbeAnswer,
  probeId,
} from "../tests/support/model_policy_cases.ts";

const OUT = new URL("../tests/fixtures/model_policy/reference_recordings.json", import.meta.url);
const TOKEN = "model-policy-token-0123456789ab";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

type Payload = Record<string, unknown>;

function finalText(session: ReferenceSession, runId: string): string | undefined {
  const final = session.events.find((e) =>
    e.event === "chat" && (e.payload as Payload).runId === runId && (e.payload as Payload).state === "final"
  );
  if (!final) return undefined;
  const content = ((final.payload as Payload).message as { content?: { text?: string }[] } | undefined)?.content;
  return (content ?? []).map((c) => c.text ?? "").join("");
}

async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${what} within ${timeoutMs}ms`);
}

async function probe(session: ReferenceSession, p: PolicyProbe, n: number): Promise<ProbeAnswer> {
  const key = `agent:${p.agent}:policy-${n}`;
  try {
    if (p.kind === "list") {
      const out = await session.request<{ models: { provider: string; id: string }[] }>("models.list", {
        agentId: p.agent,
      });
      return { ok: true, models: out.models.map((m) => `${m.provider}/${m.id}`) };
    }
    if (p.kind === "patch") {
      const out = await session.request<{ entry?: Payload; resolved?: Payload }>("sessions.patch", {
        key,
        model: p.input,
      });
      const entry = out.entry ?? {};
      return { ok: true, text: `${entry.providerOverride}/${entry.modelOverride}` };
    }
    const runId = `policy-run-${n}`;
    await session.request("chat.send", {
      sessionKey: key,
      message: `/model ${p.input}`,
      deliver: false,
      idempotencyKey: runId,
    });
    return { ok: true, text: await waitFor(() => finalText(session, runId), `the reply to /model ${p.input}`) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The CLI's model list and status on one config, as the reference prints them with --json. */
async function recordCli(name: string): Promise<Record<string, unknown>> {
  const root = `/tmp/record-model-policy-cli-${name}`;
  await Deno.remove(root, { recursive: true }).catch(() => {});
  const where = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  const config = policyConfig(name) as { models: Record<string, unknown> };
  config.models.catalogRefresh = { enabled: false };
  await Deno.writeTextFile(where.configPath, JSON.stringify({ ...config, update: { checkOnStart: false } }));
  try {
    const list = JSON.parse((await runPeer(["models", "list", "--json"], where)).stdout);
    const status = JSON.parse((await runPeer(["models", "status", "--json"], where)).stdout);
    return {
      rows: (list.models as { key: string; tags: string[] }[]).map((m) => ({ key: m.key, tags: m.tags })),
      allowed: status.allowed,
    };
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

const cli = Deno.args.includes("--cli");
const only = Deno.args.filter((a) => a !== "--cli");
if (cli) {
  const CLI_OUT = new URL("../tests/fixtures/model_policy/reference_cli_recordings.json", import.meta.url);
  const recorded: Record<string, unknown> = await Deno.readTextFile(CLI_OUT).then(JSON.parse).catch(() => ({}));
  for (const { name } of POLICY_CONFIGS) {
    if (only.length > 0 && !only.includes(name)) continue;
    recorded[name] = await recordCli(name);
    await Deno.stdout.write(new TextEncoder().encode(`${name} ${JSON.stringify(recorded[name])}\n`));
  }
  await Deno.writeTextFile(CLI_OUT, JSON.stringify(recorded, null, 2) + "\n");
  Deno.exit(0);
}
const existing: Record<string, ProbeAnswer> = await Deno.readTextFile(OUT).then(JSON.parse).catch(() => ({}));
const probes = policyProbes();
let port = 41201;
let n = 0;
for (const { name } of POLICY_CONFIGS) {
  if (only.length > 0 && !only.includes(name)) continue;
  const config = {
    ...policyConfig(name),
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } },
  };
  const ref = await startReferenceGateway({ root: `/tmp/record-model-policy-${name}`, port, config });
  try {
    const session = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    try {
      for (const p of probes.filter((p) => p.config === name)) {
        const answer = await probe(session, p, ++n);
        existing[probeId(p)] = answer;
        await Deno.stdout.write(new TextEncoder().encode(`${probeId(p)} ${JSON.stringify(answer)}\n`));
      }
    } finally {
      session.stop();
    }
  } finally {
    await ref.stop();
  }
  port++;
  await Deno.mkdir(new URL(".", OUT), { recursive: true });
  await Deno.writeTextFile(OUT, JSON.stringify(existing, null, 2) + "\n");
}
