// Key tokens (`Enter`, `C-c`, `Up`, `^D`) and pasted text as the bytes a terminal program reads, for
// `process send-keys` and `paste`; tmux-style names, as the reference accepts them.

const ESC = "\x1b";

/** Named keys and their escape sequences (xterm). */
const NAMED = new Map<string, string>([
  ["enter", "\r"],
  ["return", "\r"],
  ["tab", "\t"],
  ["escape", ESC],
  ["esc", ESC],
  ["space", " "],
  ["bspace", "\x7f"],
  ["backspace", "\x7f"],
  ["up", `${ESC}[A`],
  ["down", `${ESC}[B`],
  ["right", `${ESC}[C`],
  ["left", `${ESC}[D`],
  ["home", `${ESC}[1~`],
  ["end", `${ESC}[4~`],
  ["pageup", `${ESC}[5~`],
  ["pgup", `${ESC}[5~`],
  ["pagedown", `${ESC}[6~`],
  ["pgdn", `${ESC}[6~`],
  ["insert", `${ESC}[2~`],
  ["delete", `${ESC}[3~`],
  ["del", `${ESC}[3~`],
  ["btab", `${ESC}[Z`],
]);

/** Keys an xterm modifier parameter applies to (`C-Up` is `ESC[1;5A`). */
const MODIFIABLE = new Set([
  "up",
  "down",
  "left",
  "right",
  "home",
  "end",
  "pageup",
  "pgup",
  "pagedown",
  "pgdn",
  "insert",
  "delete",
  "del",
]);

function ctrlChar(char: string): string | undefined {
  if (char.length !== 1) return undefined;
  if (char === "?") return "\x7f";
  const code = char.toUpperCase().charCodeAt(0);
  return code >= 64 && code <= 95 ? String.fromCharCode(code & 31) : undefined;
}

function encodeToken(raw: string, warnings: string[]): string {
  const token = raw.trim();
  if (!token) return "";
  if (token.length === 2 && token.startsWith("^")) {
    const ctrl = ctrlChar(token[1]!);
    if (ctrl) return ctrl;
  }
  const mods = { ctrl: false, alt: false, shift: false };
  let rest = token;
  let modified = false;
  while (rest.length > 2 && rest[1] === "-") {
    const mod = rest[0]!.toLowerCase();
    if (mod === "c") mods.ctrl = true;
    else if (mod === "m") mods.alt = true;
    else if (mod === "s") mods.shift = true;
    else break;
    modified = true;
    rest = rest.slice(2);
  }
  const lower = rest.toLowerCase();
  if (lower === "tab" && mods.shift) return `${ESC}[Z`;
  const named = NAMED.get(lower);
  if (named) {
    if (MODIFIABLE.has(lower) && (mods.ctrl || mods.alt || mods.shift)) {
      const level = 1 + (mods.shift ? 1 : 0) + (mods.alt ? 2 : 0) + (mods.ctrl ? 4 : 0);
      return `${ESC}[${named.slice(2, -1) || "1"};${level}${named.at(-1)}`;
    }
    return mods.alt ? `${ESC}${named}` : named;
  }
  if (rest.length === 1) {
    let value = mods.shift && /[a-z]/.test(rest) ? rest.toUpperCase() : rest;
    if (mods.ctrl) value = ctrlChar(value) ?? value;
    return mods.alt ? `${ESC}${value}` : value;
  }
  if (modified) warnings.push(`Unknown key "${rest}" for modifiers; sending literal.`);
  return rest;
}

/** The bytes of a send-keys request: literal text, then hex bytes, then named keys. */
export function encodeKeys(request: { keys?: unknown; hex?: unknown; literal?: unknown }): {
  data: Uint8Array;
  warnings: string[];
} {
  const warnings: string[] = [];
  const hexBytes: number[] = [];
  for (const raw of Array.isArray(request.hex) ? request.hex : []) {
    const normalized = String(raw).trim().toLowerCase().replace(/^0x/, "");
    if (!/^[0-9a-f]{1,2}$/.test(normalized)) {
      warnings.push(`Invalid hex byte: ${raw}`);
      continue;
    }
    hexBytes.push(Number.parseInt(normalized, 16));
  }
  const keys = (Array.isArray(request.keys) ? request.keys : []).map((key) => encodeToken(String(key), warnings)).join(
    "",
  );
  const encoder = new TextEncoder();
  const literal = encoder.encode(typeof request.literal === "string" ? request.literal : "");
  const named = encoder.encode(keys);
  const data = new Uint8Array(literal.length + hexBytes.length + named.length);
  data.set(literal, 0);
  data.set(hexBytes, literal.length);
  data.set(named, literal.length + hexBytes.length);
  return { data, warnings };
}

/** Pasted text, in bracketed-paste markers unless `bracketed` is false. */
export function encodePaste(text: string, bracketed: boolean): string {
  return bracketed ? `${ESC}[200~${text}${ESC}[201~` : text;
}
