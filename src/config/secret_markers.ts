// Which strings are credentials and which are placeholders, as the reference's secrets audit tells them
// apart: the provider env var names it treats as secrets in `.env` (listed from the reference 2026.9.6
// bundle), the non-secret `apiKey` markers models.json and config may hold, and the header names it
// counts as credential material.

/** Env var names whose `.env` values the audit reports and `secrets apply` may scrub. */
export const KNOWN_SECRET_ENV_NAMES: ReadonlySet<string> = new Set([
  "GH_TOKEN",
  "GITHUB_TOKEN",
  "MODELSTUDIO_API_KEY",
  "DASHSCOPE_API_KEY",
  "QWEN_API_KEY",
  "ANTHROPIC_OAUTH_TOKEN",
  "ANTHROPIC_API_KEY",
  "AZURE_SPEECH_KEY",
  "AZURE_SPEECH_API_KEY",
  "SPEECH_KEY",
  "AZURE_SPEECH_REGION",
  "SPEECH_REGION",
  "CLAWROUTER_API_KEY",
  "DEEPGRAM_API_KEY",
  "ELEVENLABS_API_KEY",
  "XI_API_KEY",
  "FAL_KEY",
  "FAL_API_KEY",
  "COPILOT_GITHUB_TOKEN",
  "GOOGLE_CLOUD_API_KEY",
  "GEMINI_API_KEY",
  "GOOGLE_API_KEY",
  "HUGGINGFACE_HUB_TOKEN",
  "HF_TOKEN",
  "LITELLM_API_KEY",
  "LM_API_TOKEN",
  "AZURE_OPENAI_API_KEY",
  "MINIMAX_API_KEY",
  "MINIMAX_OAUTH_TOKEN",
  "NVIDIA_API_KEY",
  "OLLAMA_API_KEY",
  "CODEX_API_KEY",
  "OPENAI_API_KEY",
  "OPENCODE_API_KEY",
  "OPENCODE_ZEN_API_KEY",
  "OPENROUTER_API_KEY",
  "RUNWAYML_API_SECRET",
  "RUNWAY_API_KEY",
  "SENSEAUDIO_API_KEY",
  "SGLANG_API_KEY",
  "TOGETHER_API_KEY",
  "VLLM_API_KEY",
  "XAI_API_KEY",
  "MINIMAX_CODE_PLAN_KEY",
  "MINIMAX_CODING_API_KEY",
  "VOYAGE_API_KEY",
  "CEREBRAS_API_KEY",
  "ANTHROPIC_ADMIN_KEY",
  "ANTHROPIC_ADMIN_API_KEY",
  "OPENAI_ADMIN_KEY",
]);

const LEGACY_ENV_MARKERS = [
  "DEEPSEEK_API_KEY",
  "PERPLEXITY_API_KEY",
  "FIREWORKS_API_KEY",
  "NOVITA_API_KEY",
  "AZURE_API_KEY",
];
const AWS_SDK_MARKERS = ["AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID", "AWS_PROFILE"];
const NON_SECRET_MARKERS = [
  "custom-local",
  "codex-app-server",
  "gcp-vertex-credentials",
  "ollama-local",
  "secretref-managed",
];

/** True for a header value the reference writes in place of a SecretRef-managed header. */
export function isSecretRefHeaderMarker(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === "secretref-managed" || trimmed.startsWith("secretref-env:");
}

/** True for an `apiKey` value that names where a key comes from instead of being one (env var name, marker). */
export function isNonSecretApiKeyMarker(value: string): boolean {
  const trimmed = value.trim();
  if (!trimmed) return false;
  return trimmed.startsWith("oauth:") || NON_SECRET_MARKERS.includes(trimmed) || AWS_SDK_MARKERS.includes(trimmed) ||
    isSecretRefHeaderMarker(trimmed) || KNOWN_SECRET_ENV_NAMES.has(trimmed) || LEGACY_ENV_MARKERS.includes(trimmed);
}

const ALWAYS_SENSITIVE_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "apikey",
  "x-auth-token",
  "auth-token",
  "x-access-token",
  "access-token",
  "x-secret-key",
  "secret-key",
]);
const SENSITIVE_HEADER_FRAGMENTS = ["api-key", "apikey", "token", "secret", "password", "credential"];

/** True for a model-provider header name that carries credential material. */
export function isSensitiveHeaderName(name: string): boolean {
  const normalized = name.trim().toLowerCase();
  if (!normalized) return false;
  return ALWAYS_SENSITIVE_HEADERS.has(normalized) ||
    SENSITIVE_HEADER_FRAGMENTS.some((part) => normalized.includes(part));
}

/** One `.env` assignment value as the reference reads it: trimmed, one pair of matching quotes removed. */
export function parseEnvAssignmentValue(raw: string): string {
  const trimmed = raw.trim();
  const quoted = (trimmed.startsWith('"') && trimmed.endsWith('"')) ||
    (trimmed.startsWith("'") && trimmed.endsWith("'"));
  return quoted ? trimmed.slice(1, -1) : trimmed;
}

/** The `KEY=value` (optionally `export`) line pattern the audit and the scrub both read `.env` files by. */
export const ENV_ASSIGNMENT_RE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
