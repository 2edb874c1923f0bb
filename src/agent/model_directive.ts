// What `/model <text>` selects, as the reference OpenClaw 2026.9.6 resolves a model directive
// (recorded in tests/fixtures/model_policy/): an alias or `provider/model` the policy allows is
// taken as written; anything else is scored against the allowed catalog (provider, model id and
// alias matches, edit distance, variant words such as "mini"), and the best match above a floor
// wins. A refusal carries the reference's words. Pure.
import {
  keyInSet,
  modelKey,
  type ModelPolicy,
  policyAllows,
  type PolicyRef,
  resolveModelText,
} from "../config/model_policy.ts";
import { notAllowedReply } from "../config/model_choice.ts";

/** What a directive resolved to: a model (with the alias it goes by), or the reply that refuses it. */
export type DirectiveResult =
  | { selection: { provider: string; model: string; isDefault: boolean; alias?: string } }
  | { error: string };

/** Words in model ids that mark a cheaper variant; asking for none of them prefers the plain model. */
const VARIANT_TOKENS = ["lightning", "preview", "mini", "fast", "turbo", "lite", "beta", "small", "nano"];

/** Edit distance bounded by `max` (null when it exceeds it), the reference's early-exit version. */
export function boundedDistance(left: string, right: string, max: number): number | null {
  if (left === right) return 0;
  if (!left || !right || Math.abs(left.length - right.length) > max) return null;
  const row = Array.from({ length: right.length + 1 }, (_, i) => i);
  for (let i = 0; i < left.length; i++) {
    let diagonal = i;
    row[0] = i + 1;
    for (let j = 0; j < right.length; j++) {
      const above = row[j + 1]!;
      row[j + 1] = Math.min(row[j]! + 1, above + 1, diagonal + (left[i] === right[j] ? 0 : 1));
      diagonal = above;
    }
    if (Math.min(...row) > max) return null;
  }
  return row[right.length]! > max ? null : row[right.length]!;
}

interface Scored {
  ref: PolicyRef;
  score: number;
  isDefault: boolean;
  variantCount: number;
  variantMatchCount: number;
  modelLength: number;
  key: string;
}

function fragmentScore(value: string, fragment: string, weights: [number, number, number]): number {
  if (!fragment) return 0;
  if (value === fragment) return weights[0];
  if (value.startsWith(fragment)) return weights[1];
  return value.includes(fragment) ? weights[2] : 0;
}

function score(ref: PolicyRef, fragment: string, aliases: readonly string[], defaultRef: PolicyRef): Scored {
  const provider = ref.provider.toLowerCase();
  const model = ref.model.toLowerCase();
  let total = fragmentScore(`${provider}/${model}`, fragment, [220, 140, 110]) +
    fragmentScore(provider, fragment, [180, 120, 90]) +
    fragmentScore(model, fragment, [160, 110, 80]);
  const distance = boundedDistance(fragment, model, 3);
  if (distance !== null) total += (3 - distance) * 70;
  for (const alias of aliases) total += fragmentScore(alias.toLowerCase(), fragment, [140, 90, 60]);
  if (model.startsWith(provider)) total += 30;
  const asked = VARIANT_TOKENS.filter((t) => fragment.includes(t));
  const variantCount = VARIANT_TOKENS.filter((t) => model.includes(t)).length;
  const variantMatchCount = asked.filter((t) => model.includes(t)).length;
  if (asked.length === 0 && variantCount > 0) total -= variantCount * 30;
  else if (asked.length > 0) total += variantMatchCount > 0 ? variantMatchCount * 40 : -20;
  const isDefault = provider === defaultRef.provider.toLowerCase() && ref.model === defaultRef.model;
  if (isDefault) total += 20;
  return {
    ref,
    score: total,
    isDefault,
    variantCount,
    variantMatchCount,
    modelLength: model.length,
    key: modelKey(ref),
  };
}

function rank(a: Scored, b: Scored): number {
  if (b.score !== a.score) return b.score - a.score;
  if (a.isDefault !== b.isDefault) return a.isDefault ? -1 : 1;
  if (a.variantMatchCount !== b.variantMatchCount) return b.variantMatchCount - a.variantMatchCount;
  if (a.variantCount !== b.variantCount) return a.variantCount - b.variantCount;
  if (a.modelLength !== b.modelLength) return a.modelLength - b.modelLength;
  return a.key.localeCompare(b.key);
}

/**
 * The keys a directive may land on: every catalog row and the default when unrestricted, else the
 * wildcards, the catalog rows they match and the exact entries.
 */
export function allowedModelKeys(
  policy: ModelPolicy,
  catalog: readonly PolicyRef[],
  defaultRef: PolicyRef,
): Set<string> {
  const keys = catalog.map((r) => modelKey({ provider: r.provider.toLowerCase(), model: r.model }));
  if (policy.allowAny) return new Set([...keys, modelKey(defaultRef)]);
  const wildcards = new Set(policy.wildcards);
  return new Set([...policy.wildcards, ...keys.filter((k) => keyInSet(wildcards, k)), ...policy.exact]);
}

/** Resolves the text after `/model` for a session of an agent under its policy. */
export function resolveModelDirective(
  raw: string,
  context: { policy: ModelPolicy; catalog: readonly PolicyRef[]; defaultRef: PolicyRef },
): DirectiveResult {
  const { policy, defaultRef } = context;
  const allowed = allowedModelKeys(policy, context.catalog, defaultRef);
  const aliasesOf = (ref: PolicyRef) =>
    policy.aliases.filter((a) => modelKey(a.ref) === modelKey(ref)).map((a) => a.alias).slice(-1);
  const selection = (ref: PolicyRef, alias?: string) => {
    const named = alias ?? aliasesOf(ref)[0];
    return {
      selection: {
        provider: ref.provider,
        model: ref.model,
        isDefault: ref.provider === defaultRef.provider && ref.model === defaultRef.model,
        ...(named ? { alias: named } : {}),
      },
    };
  };
  const fuzzy = (fragmentRaw: string, providerFilter?: string): PolicyRef | undefined => {
    const fragment = fragmentRaw.trim().toLowerCase();
    if (!fragment) return undefined;
    const candidates: PolicyRef[] = [];
    for (const key of allowed) {
      const slash = key.indexOf("/");
      if (slash <= 0) continue;
      const ref = { provider: key.slice(0, slash).toLowerCase(), model: key.slice(slash + 1) };
      if (ref.model.endsWith("*") || !policyAllows(policy, ref)) continue;
      if (providerFilter && ref.provider !== providerFilter) continue;
      candidates.push(ref);
    }
    if (!providerFilter) {
      for (const alias of policy.aliases) {
        if (!alias.alias.toLowerCase().includes(fragment) || !policyAllows(policy, alias.ref)) continue;
        if (!candidates.some((c) => c.provider === alias.ref.provider && c.model === alias.ref.model)) {
          candidates.push(alias.ref);
        }
      }
    }
    const best = candidates.map((ref) => score(ref, fragment, aliasesOf(ref), defaultRef)).sort(rank)[0];
    return best && best.score >= (providerFilter ? 90 : 120) ? best.ref : undefined;
  };
  const text = raw.trim();
  const resolved = resolveModelText(text, { aliases: policy.aliases, defaultProvider: defaultRef.provider });
  if (!resolved) {
    const match = fuzzy(text);
    return match
      ? selection(match)
      : { error: `Unrecognized model "${text}". Use /models to list providers, or /models <provider> to list models.` };
  }
  const permitted = policyAllows(policy, resolved.ref);
  const key = modelKey(resolved.ref);
  if (permitted && (text.includes("/") || resolved.alias || allowed.has(key))) {
    return selection(resolved.ref, resolved.alias);
  }
  if (text.includes("/")) {
    const slash = text.indexOf("/");
    const match = fuzzy(text.slice(slash + 1), text.slice(0, slash).trim().toLowerCase());
    if (match) return selection(match);
  }
  const match = fuzzy(text);
  if (match) return selection(match);
  if (permitted) return selection(resolved.ref, resolved.alias);
  return { error: notAllowedReply(key, policy.repairPath) };
}

/**
 * The model a `/new` or `/reset` message starts with, as the reference reads it: `provider model`
 * (two words), or one word that is an alias, an explicit `provider/model`, an allowed model id, or
 * (six letters and more, or a provider's name) a close enough match. Returns the selection and how
 * many words it took; none when the words are ordinary text (they stay the follow-up).
 */
export function resetModelHint(
  words: readonly string[],
  context: { policy: ModelPolicy; catalog: readonly PolicyRef[]; defaultRef: PolicyRef; providers: readonly string[] },
): { ref: PolicyRef; consumed: number } | undefined {
  const { policy, defaultRef } = context;
  const allowed = allowedModelKeys(policy, context.catalog, defaultRef);
  const providers = new Set([...allowed].map((key) => key.split("/", 1)[0]!));
  const known = (provider: string) => context.providers.some((p) => p.toLowerCase() === provider.toLowerCase());
  const pick = (raw: string, explicit: boolean): PolicyRef | undefined => {
    const parsed = resolveModelText(raw, { aliases: policy.aliases, defaultProvider: defaultRef.provider });
    if (!parsed) return undefined;
    const exact = explicit || parsed.alias !== undefined || allowed.has(modelKey(parsed.ref));
    if (exact && !policyAllows(policy, parsed.ref)) return undefined;
    if (!exact && !providers.has(raw.toLowerCase()) && raw.length < 6) return undefined;
    const result = resolveModelDirective(raw, context);
    if (!("selection" in result)) return undefined;
    const ref = { provider: result.selection.provider, model: result.selection.model };
    return (exact || allowed.has(modelKey(ref))) && known(ref.provider) ? ref : undefined;
  };
  const [first = "", second] = words;
  if (providers.has(first.toLowerCase()) && second) {
    const ref = pick(`${first.toLowerCase()}/${second}`, false);
    if (ref) return { ref, consumed: 2 };
  }
  const ref = first ? pick(first, first.includes("/")) : undefined;
  return ref ? { ref, consumed: 1 } : undefined;
}
