// The audit's model hygiene checks: configured primary and fallback models that look legacy or
// below the recommended tiers, with the reference's checkIds, patterns and words.
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { record } from "./security_exposure_checks.ts";
import { agentEntries } from "./security_exec_checks.ts";

const LEGACY: [RegExp, string][] = [
  [/\bgpt-3\.5\b/i, "GPT-3.5 family"],
  [/\bclaude-(instant|2)\b/i, "Claude 2/Instant family"],
  [/\bgpt-4-(0314|0613)\b/i, "Legacy GPT-4 snapshots"],
];
const CLAUDE_45_OR_HIGHER = /\bclaude-[^\s/]*?(?:-4-?(?:[5-9]|[1-9]\d)\b|4\.(?:[5-9]|[1-9]\d)\b|-[5-9](?:\b|[.-]))/i;

interface ModelRef {
  id: string;
  source: string;
}

/** Every configured primary and fallback model, aliases (agents.defaults.models.*.alias) resolved. */
function modelRefs(inputs: AuditInputs): ModelRef[] {
  const defaults = record(record(inputs.raw.agents)?.defaults);
  const aliases = new Map<string, string>();
  for (const [key, value] of Object.entries(record(defaults?.models) ?? {})) {
    const alias = record(value)?.alias;
    if (typeof alias === "string" && alias.trim()) aliases.set(alias.trim().toLowerCase(), key);
  }
  const out: ModelRef[] = [];
  const add = (raw: unknown, source: string) => {
    if (typeof raw !== "string" || !raw.trim()) return;
    const text = raw.trim();
    out.push({ id: text.includes("/") ? text : aliases.get(text.toLowerCase()) ?? text, source });
  };
  // A string model counts as `<source>.primary` for the defaults and as `<source>` for an agent, as the reference labels them.
  const addModel = (value: unknown, source: string, fallbacks: string, bare = source) => {
    if (typeof value === "string") return add(value, bare);
    add(record(value)?.primary, `${source}.primary`);
    const list = record(value)?.fallbacks;
    for (const fallback of Array.isArray(list) ? list : []) add(fallback, fallbacks);
  };
  addModel(
    defaults?.model,
    "agents.defaults.model",
    "agents.defaults.model.fallbacks",
    "agents.defaults.model.primary",
  );
  addModel(
    defaults?.imageModel,
    "agents.defaults.imageModel",
    "agents.defaults.imageModel.fallbacks",
    "agents.defaults.imageModel.primary",
  );
  for (const [id, agent] of agentEntries(inputs)) {
    addModel(agent.model, `agents.entries.${id}.model`, `agents.entries.${id}.model.fallbacks`);
  }
  return out;
}

function weakReasons(id: string): string[] {
  const reasons: string[] = [];
  if (/\bhaiku\b/i.test(id)) reasons.push("Haiku tier (smaller model)");
  if (/\bgpt-/i.test(id) && !/\bgpt-5(?:\b|[.-])/i.test(id)) reasons.push("Below GPT-5 family");
  if (/\bclaude-/i.test(id) && !CLAUDE_45_OR_HIGHER.test(id)) reasons.push("Below Claude 4.5");
  return reasons;
}

function listed(lines: string[]): string {
  return lines.slice(0, 12).join("\n") + (lines.length > 12 ? `\n…${lines.length - 12} more` : "");
}

/** `models.legacy` and `models.weak_tier`. */
export function modelFindings(inputs: AuditInputs): AuditFinding[] {
  const refs = modelRefs(inputs);
  const findings: AuditFinding[] = [];
  const legacy = refs.flatMap((ref) => {
    const hit = LEGACY.find(([pattern]) => pattern.test(ref.id));
    return hit ? [`- ${ref.id} (${hit[1]}) @ ${ref.source}`] : [];
  });
  if (legacy.length > 0) {
    findings.push({
      checkId: "models.legacy",
      severity: "warn",
      title: "Some configured models look legacy",
      detail: `Older/legacy models can be less robust against prompt injection and tool misuse.\n${listed(legacy)}`,
      remediation: "Prefer modern, instruction-hardened models for any bot that can run tools.",
    });
  }
  const weak = new Map<string, string>();
  for (const ref of refs) {
    const reasons = weakReasons(ref.id);
    const key = `${ref.id}@@${ref.source}`;
    if (reasons.length > 0 && !weak.has(key)) weak.set(key, `- ${ref.id} (${reasons.join("; ")}) @ ${ref.source}`);
  }
  if (weak.size > 0) {
    findings.push({
      checkId: "models.weak_tier",
      severity: "warn",
      title: "Some configured models are below recommended tiers",
      detail: `Smaller/older models are generally more susceptible to prompt injection and tool misuse.\n${
        listed([...weak.values()])
      }`,
      remediation:
        "Use the latest, top-tier model for any bot with tools or untrusted inboxes. Avoid Haiku tiers; prefer GPT-5+ and Claude 4.5+.",
    });
  }
  return findings;
}
