// The top-level commands of the reference OpenClaw 2026.9.6 CLI (`openclaw --help`) that this
// gateway's binary does not include, as data: an operator who types one learns that it is a real
// OpenClaw command left out here, not a typo, and where the terminal UI is.

/** Why a reference command is absent here: a client the OpenClaw package runs against this gateway, or not included. */
export type ReferenceOnlyKind = "gateway-client" | "not-included";

/** Every top-level reference command this binary lacks, with its kind. */
export const REFERENCE_ONLY_COMMANDS: Readonly<Record<string, ReferenceOnlyKind>> = {
  // The reference TUI against this gateway: tests/integration/reference_tui_test.ts.
  tui: "gateway-client",
  resume: "gateway-client",
  acp: "not-included",
  attach: "not-included",
  audit: "not-included",
  browser: "not-included",
  capability: "not-included",
  chat: "not-included",
  clawbot: "not-included",
  configure: "not-included",
  connect: "not-included",
  directory: "not-included",
  dns: "not-included",
  docs: "not-included",
  "exec-policy": "not-included",
  "file-transfer": "not-included",
  fleet: "not-included",
  googlemeet: "not-included",
  infer: "not-included",
  migrate: "not-included",
  node: "not-included",
  plugins: "not-included",
  promos: "not-included",
  proxy: "not-included",
  sandbox: "not-included",
  teamsmeetings: "not-included",
  telemetry: "not-included",
  terminal: "not-included",
  transcripts: "not-included",
  triage: "not-included",
  update: "not-included",
  users: "not-included",
  webhooks: "not-included",
  worker: "not-included",
  worktrees: "not-included",
  zoommeetings: "not-included",
};

/** The line saying what `openclaw <word>` is, when the word is a reference command absent here. */
export function referenceOnlyLine(word: string): string | undefined {
  const kind = Object.hasOwn(REFERENCE_ONLY_COMMANDS, word) ? REFERENCE_ONLY_COMMANDS[word] : undefined;
  if (kind === "gateway-client") {
    return `"openclaw ${word}" is a client in the OpenClaw package, not in this gateway's binary; OpenClaw's own CLI runs it against this gateway (openclaw dashboard opens the built-in Control UI).`;
  }
  if (kind === "not-included") return `"openclaw ${word}" is an OpenClaw command this gateway does not include.`;
  return undefined;
}
