// What a HOOK.md declares, read as the reference reads it: the `metadata` front matter field holds
// a JSON5 object whose `openclaw` block (or a legacy `clawdbot` one) lists events, requirements,
// install options and the handler export. Pure: text in, facts out.
import JSON5 from "json5";
import { isJsonObject } from "../log/json_object.ts";
import { frontmatterBool, stringList } from "../agent/skills/frontmatter.ts";

/** Where a hook was discovered; the precedence order of the reference's collision policy. */
export type HookSource = "openclaw-bundled" | "openclaw-plugin" | "openclaw-managed" | "openclaw-workspace";

/** Runtime requirements a hook declares under `metadata.openclaw.requires`. */
export interface HookRequires {
  bins: string[];
  anyBins: string[];
  env: string[];
  config: string[];
}

/** One `metadata.openclaw.install[]` option (descriptive only: nothing here installs it). */
export interface HookInstallSpec {
  kind: "bundled" | "npm" | "git";
  id?: string;
  label?: string;
  bins?: string[];
  package?: string;
  repository?: string;
}

/** The `metadata.openclaw` block of a HOOK.md, normalized. */
export interface HookMetadata {
  always?: boolean | undefined;
  emoji?: string | undefined;
  homepage?: string | undefined;
  /** The `hooks.internal.entries` key when it differs from the hook's name. */
  hookKey?: string | undefined;
  /** The handler module's export to call (default: `default`). */
  export?: string | undefined;
  os?: string[] | undefined;
  events: string[];
  requires?: HookRequires | undefined;
  install?: HookInstallSpec[] | undefined;
}

const MANIFEST_KEYS = ["openclaw", "clawdbot"];
const INSTALL_KINDS = new Set(["bundled", "npm", "git"]);

/** The event families a hook may subscribe to as a whole (`command` receives every command action). */
const KNOWN_EVENT_FAMILIES = ["command", "session", "agent", "gateway", "message"];

/** The event keys the reference's core emits; anything else is flagged as a likely typo, not refused. */
const KNOWN_EVENT_KEYS = [
  "agent:bootstrap",
  "command:new",
  "command:reset",
  "command:stop",
  "gateway:pre-restart",
  "gateway:shutdown",
  "gateway:startup",
  "message:preprocessed",
  "message:received",
  "message:sent",
  "message:transcribed",
  "session:auto-reset",
  "session:compact:after",
  "session:compact:before",
  "session:patch",
];

/** Whether core emits `key` (an event key or a whole family). */
export function isKnownHookEvent(key: string): boolean {
  return KNOWN_EVENT_KEYS.includes(key) || KNOWN_EVENT_FAMILIES.includes(key);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function installSpec(input: unknown): HookInstallSpec | undefined {
  if (!isJsonObject(input)) return undefined;
  const kindRaw = typeof input.kind === "string" ? input.kind : typeof input.type === "string" ? input.type : "";
  const kind = kindRaw.trim().toLowerCase();
  if (!INSTALL_KINDS.has(kind)) return undefined;
  const spec: HookInstallSpec = { kind: kind as HookInstallSpec["kind"] };
  if (typeof input.id === "string" && input.id) spec.id = input.id;
  if (typeof input.label === "string" && input.label) spec.label = input.label;
  const bins = stringList(input.bins);
  if (bins.length > 0) spec.bins = bins;
  if (typeof input.package === "string") spec.package = input.package;
  if (typeof input.repository === "string") spec.repository = input.repository;
  return spec;
}

/** The hook manifest of a front matter: undefined when `metadata` has no OpenClaw block. */
export function hookMetadata(frontmatter: Readonly<Record<string, string>>): HookMetadata | undefined {
  const raw = frontmatter.metadata;
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON5.parse(raw);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed)) return undefined;
  const block = MANIFEST_KEYS.map((key) => parsed[key]).find(isJsonObject);
  if (!block) return undefined;
  const requires = isJsonObject(block.requires)
    ? {
      bins: stringList(block.requires.bins),
      anyBins: stringList(block.requires.anyBins),
      env: stringList(block.requires.env),
      config: stringList(block.requires.config),
    }
    : undefined;
  const os = stringList(block.os);
  const install = (Array.isArray(block.install) ? block.install : []).map(installSpec).filter((spec) =>
    spec !== undefined
  );
  return {
    always: typeof block.always === "boolean" ? block.always : undefined,
    emoji: optionalString(block.emoji),
    homepage: optionalString(block.homepage),
    hookKey: optionalString(block.hookKey),
    export: optionalString(block.export),
    os: os.length > 0 ? os : undefined,
    events: stringList(block.events),
    requires,
    install: install.length > 0 ? install : undefined,
  };
}

/** The front matter's top-level `enabled` flag (a hook can ship switched off); on when absent. */
export function hookInvocationEnabled(frontmatter: Readonly<Record<string, string>>): boolean {
  return frontmatterBool(frontmatter.enabled, true);
}
