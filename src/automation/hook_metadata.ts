// What a HOOK.md declares, read as the reference reads it: the `metadata` front matter field holds
// a JSON5 object whose `openclaw` block (or a legacy `clawdbot` one) lists events, requirements,
// install options and the handler export. Pure: text in, facts out.
import { isJsonObject } from "../log/json_object.ts";
import { frontmatterBool, manifestBlock, type ManifestRequires, stringList } from "../agent/skills/frontmatter.ts";
import { KNOWN_INTERNAL_HOOK_EVENTS } from "../agent/internal_hooks.ts";

/** Where a hook was discovered; the precedence order of the reference's collision policy. */
export type HookSource = "openclaw-bundled" | "openclaw-plugin" | "openclaw-managed" | "openclaw-workspace";

/** Runtime requirements a hook declares under `metadata.openclaw.requires`. */
export type HookRequires = ManifestRequires;

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

/** Whether core emits `key` (an event key or a whole family). */
export function isKnownHookEvent(key: string): boolean {
  return KNOWN_INTERNAL_HOOK_EVENTS.includes(key);
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
  const manifest = manifestBlock(frontmatter, MANIFEST_KEYS);
  if (!manifest) return undefined;
  const { block, requires, os } = manifest;
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
