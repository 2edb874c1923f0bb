/** One IRC protocol line, parsed (RFC 1459/2812 framing; IRCv3 tags are skipped). */
export interface IrcLine {
  /** `nick!user@host` or a server name; empty when the line has none. */
  prefix: string;
  command: string;
  params: string[];
}

/** Parses one line (without CR LF); undefined for an empty or malformed line. */
export function parseLine(raw: string): IrcLine | undefined {
  let rest = raw.replace(/\r?\n?$/, "");
  if (rest.startsWith("@")) rest = rest.slice(rest.indexOf(" ") + 1);
  let prefix = "";
  if (rest.startsWith(":")) {
    const space = rest.indexOf(" ");
    if (space < 0) return undefined;
    prefix = rest.slice(1, space);
    rest = rest.slice(space + 1);
  }
  const params: string[] = [];
  while (rest.length > 0) {
    rest = rest.replace(/^ +/, "");
    if (rest.startsWith(":")) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(" ");
    if (space < 0) {
      if (rest) params.push(rest);
      break;
    }
    params.push(rest.slice(0, space));
    rest = rest.slice(space + 1);
  }
  const command = params.shift();
  if (!command) return undefined;
  return { prefix, command: command.toUpperCase(), params };
}

/** The nick of a `nick!user@host` prefix. */
export function nickOf(prefix: string): string {
  const bang = prefix.indexOf("!");
  return bang < 0 ? prefix : prefix.slice(0, bang);
}

/** Strips CR, LF and NUL: a value must never smuggle a second command onto the wire. */
export function sanitize(text: string): string {
  return text.replace(/[\r\n\0]/g, " ");
}

/**
 * Splits one line of text into pieces of at most `maxBytes` UTF-8 bytes, at spaces where it
 * can, never inside a character. IRC limits a whole line to 512 bytes, prefix included. A budget
 * smaller than one character still makes progress: that piece holds the one character.
 */
export function splitBytes(text: string, maxBytes: number): string[] {
  const encoder = new TextEncoder();
  const pieces: string[] = [];
  let rest = text;
  while (encoder.encode(rest).length > maxBytes) {
    let end = 0;
    let bytes = 0;
    for (const char of rest) {
      const size = encoder.encode(char).length;
      // Always take the first character, or a tiny budget would loop forever on the same rest.
      if (end > 0 && bytes + size > maxBytes) break;
      bytes += size;
      end += char.length;
    }
    const space = rest.lastIndexOf(" ", end);
    const cut = space > end / 2 ? space : end;
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Case-insensitive comparison under IRC's rfc1459 mapping (`[]\~` fold to `{}|^`). */
export function ircLower(text: string): string {
  return text.toLowerCase().replace(/\[/g, "{").replace(/\]/g, "}").replace(/\\/g, "|").replace(/~/g, "^");
}

/** Whether the text mentions the nick as a word (`bot: hi`, `hi bot`, `@bot`). */
export function mentions(text: string, nick: string): boolean {
  const escaped = nick.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_\\-\\[\\]\\\\^{}|\`])@?${escaped}($|[^A-Za-z0-9_\\-\\[\\]\\\\^{}|\`])`, "i").test(
    text,
  );
}

/** The text without a leading `nick:` / `nick,` address. */
export function stripAddress(text: string, nick: string): string {
  const escaped = nick.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`^@?${escaped}[:,]?\\s+`, "i"), "").trim();
}
