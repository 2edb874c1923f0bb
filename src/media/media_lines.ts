// The reference's legacy `MEDIA:` lines: a final answer attaches a file with a standalone line
// `MEDIA:<path or https URL>`. Only a line whose text (after at most three spaces) starts with
// `MEDIA:` counts; the same words inside a code block, a Markdown wrapper (`**MEDIA:…**`) or prose
// (`Here it is: MEDIA:…`) stay text, as the reference parses them (its src/media/parse-output.ts).

/** References longer than this are not files (the reference's cap). */
const MAX_REFERENCE_CHARS = 4096;
const DIRECTIVE_PREFIX = "MEDIA:";
const SCHEME_RE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const HAS_FILE_EXT = /\.\w{1,10}$/;
const TRAVERSAL_SEGMENT_RE = /(?:^|[/\\])\.\.(?:[/\\]|$)/;
const FILE_URL_PREFIX_RE = /^file:(?:\/\/)?/i;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;
/** The reference's tag asking for the answer's audio to go as a voice note. */
const VOICE_TAG = "[[audio_as_voice]]";

/** A host a remote attachment may not name: no dot, loopback and internal names, private or special IP literals. */
export function isBlockedMediaHost(hostname: string): boolean {
  const host = hostname.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  if (!host || host.split(".").some((label) => label === "")) return true;
  if (host.includes(":")) return true; // IPv6 literals: the reference allows only public ones; we refuse them all.
  if (!host.includes(".")) return true;
  if (
    host === "localhost" || host === "localhost.localdomain" || host === "metadata.google.internal" ||
    host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")
  ) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!v4) return /^[\d.]+$/.test(host) || /^0x/i.test(host); // legacy numeric forms (`127.1`, hex)
  const [a, b] = [Number(v4[1]), Number(v4[2])];
  return a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) ||
    (a === 198 && (b === 18 || b === 19));
}

/** A remote attachment a reply may name: a public `https:` URL without credentials. */
function isAllowedRemote(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === "https:" && !url.username && !url.password && !isBlockedMediaHost(url.hostname);
  } catch {
    return false;
  }
}

function hasTraversal(candidate: string): boolean {
  return candidate.startsWith("../") || candidate === ".." ||
    (candidate.startsWith("~") && !candidate.startsWith("~/")) || TRAVERSAL_SEGMENT_RE.test(candidate);
}

function isLikelyLocalPath(candidate: string): boolean {
  if (hasTraversal(candidate)) return false;
  return candidate.startsWith("/") || candidate.startsWith("./") || candidate.startsWith("~/") ||
    (!SCHEME_RE.test(candidate) && candidate.includes("/"));
}

function looksLikeLocalPath(candidate: string): boolean {
  return candidate.startsWith("/") || candidate.startsWith("./") || candidate.startsWith("../") ||
    candidate.startsWith("~") || FILE_URL_PREFIX_RE.test(candidate) ||
    (!SCHEME_RE.test(candidate) && candidate.includes("/"));
}

/** Whether a reference names a file a reply may attach (the reference's `isValidMedia`). */
export function isValidMediaReference(
  source: string,
  options: { allowSpaces?: boolean; allowBareFilename?: boolean } = {},
): boolean {
  const candidate = source.replace(FILE_URL_PREFIX_RE, "");
  if (!candidate || candidate.length > MAX_REFERENCE_CHARS) return false;
  if (!options.allowSpaces && /\s/.test(candidate)) return false;
  if (/^https?:\/\//i.test(candidate)) return isAllowedRemote(candidate);
  if (isLikelyLocalPath(candidate)) return true;
  if (hasTraversal(candidate)) return false;
  return options.allowBareFilename === true && !SCHEME_RE.test(candidate) && HAS_FILE_EXT.test(candidate);
}

function cleanCandidate(raw: string): string {
  return raw.replace(/^[`"'[{(]+/, "").replace(/[`"'\\})\],]+$/, "");
}

function unwrapQuoted(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length < 2) return undefined;
  const first = trimmed[0];
  if (first !== trimmed[trimmed.length - 1] || (first !== `"` && first !== "'" && first !== "`")) return undefined;
  return trimmed.slice(1, -1).trim();
}

/** Whether a line is a directive line: `MEDIA:` after at most three spaces (four or a tab make it code). */
function isDirectiveLine(line: string): boolean {
  const indent = /^ */.exec(line)![0].length;
  return indent <= 3 && line.slice(indent, indent + DIRECTIVE_PREFIX.length).toUpperCase() === DIRECTIVE_PREFIX;
}

const MEDIA_SOURCE_ROOT_RE = /^(?:[a-z]:[\\/]|[/~]|\.{1,2}[\\/]|\\\\)/i;

function normalized(raw: string): string {
  return cleanCandidate(raw).replace(FILE_URL_PREFIX_RE, "");
}

/** Whether a word starts a reference of its own (a path root or a scheme), rather than going on with a path. */
function beginsIndependentSource(raw: string): boolean {
  const candidate = normalized(raw);
  return MEDIA_SOURCE_ROOT_RE.test(candidate) || SCHEME_RE.test(candidate);
}

/** The payload's words, a local path with spaces kept whole (the reference's splitUnquotedMediaDirectiveParts). */
function splitUnquoted(payload: string): string[] {
  const parts: string[] = [];
  let previousEnd = 0;
  for (const match of payload.matchAll(/\S+/g)) {
    const candidate = normalized(match[0]);
    const previous = parts.at(-1);
    const previousCandidate = previous ? normalized(previous) : "";
    if (
      MEDIA_SOURCE_ROOT_RE.test(previousCandidate) && !beginsIndependentSource(candidate) &&
      (!HAS_FILE_EXT.test(previousCandidate) || !isValidMediaReference(candidate))
    ) {
      parts[parts.length - 1] = `${previous}${payload.slice(previousEnd, match.index)}${match[0]}`;
    } else parts.push(match[0]);
    previousEnd = match.index + match[0].length;
  }
  return parts;
}

/** One directive line read: the files it names and the text left of it (parts that name no file). */
export function readDirectiveLine(line: string): { media: string[]; text: string | undefined } {
  const payload = line.trimStart().slice(DIRECTIVE_PREFIX.length).replace(/^\s*`?/, "").replace(/`$/, "");
  const unwrapped = unwrapQuoted(payload);
  const value = unwrapped ?? payload;
  const parts = unwrapped !== undefined ? [unwrapped] : splitUnquoted(payload);
  let media: string[] = [];
  let invalid: string[] = [];
  for (const part of parts) {
    const candidate = unwrapped === undefined ? cleanCandidate(part) : part;
    if (isValidMediaReference(candidate, { allowSpaces: unwrapped !== undefined || /\s/.test(candidate) })) {
      media.push(candidate);
    } else if (!/\s/.test(part) || !hasTraversal(candidate)) invalid.push(part);
  }
  const trimmed = value.trim();
  const localLooking = looksLikeLocalPath(trimmed);
  // One path with spaces that the split cut short: the whole payload, when it is one valid path.
  if (
    unwrapped === undefined && media.length === 1 && invalid.length > 0 &&
    !parts.slice(1).some(beginsIndependentSource) &&
    /\s/.test(value) && localLooking
  ) {
    const whole = cleanCandidate(value);
    if (isValidMediaReference(whole, { allowSpaces: true })) [media, invalid] = [[whole], []];
  }
  if (media.length === 0) {
    // A bare file name, or a path with spaces: the whole payload as one reference.
    const whole = unwrapped ?? cleanCandidate(value);
    if (isValidMediaReference(whole, { allowSpaces: true, allowBareFilename: true })) [media, invalid] = [[whole], []];
  }
  const files = media.map((reference) => reference.replace(FILE_URL_PREFIX_RE, ""));
  if (files.length > 0) {
    const left = invalid.join(" ").replace(/[ \t]{2,}/g, " ").trim();
    return { media: files, text: left ? left : undefined };
  }
  // A path that is not allowed (`../x`) is dropped, not shown; anything else stays text.
  return { media: [], text: localLooking ? undefined : line };
}

/** What {@link mediaLineFilter} hands on: text to show now. */
export type TextSink = (text: string) => void;

/**
 * Filters a streamed answer: text passes on as it comes, except a line that may still become a
 * `MEDIA:` line, which is held until it ends; directive lines outside code blocks are taken out
 * and their files collected. `end()` flushes the last line and returns the files in order.
 */
export function mediaLineFilter(
  sink: TextSink,
): { push(delta: string): void; end(): string[]; readonly voice: boolean } {
  const media: string[] = [];
  /** The answer asked for its audio to go as a voice note (`[[audio_as_voice]]`). */
  let voice = false;
  let line = "";
  /** Part of the current line was already passed on: it cannot be a directive any more. */
  let shown = false;
  /** The current line carried the voice tag: what is left of it ends without spaces. */
  let tagged = false;
  /** The line's text so far ended with a tag taken out: the spaces that follow it go too. */
  let afterTag = false;
  let fence: string | undefined;

  /** Takes the voice tag out of (part of) a line outside code; the answer's audio then goes as a voice note. */
  function untag(text: string): string {
    if (fence !== undefined || !text.includes(VOICE_TAG)) return text;
    voice = tagged = true;
    afterTag = /\[\[audio_as_voice\]\][ \t]*$/.test(text);
    return text.replaceAll(/\[\[audio_as_voice\]\][ \t]*/g, "");
  }

  function complete(text: string, newline: boolean): void {
    const ending = newline ? "\n" : "";
    text = untag(text);
    if (tagged) {
      // The reference's audio directive: taken out of the text, it makes the answer's audio a voice note.
      text = text.trimEnd();
      if (!shown && !text.trim()) return;
    }
    if (shown) {
      sink(text + ending);
    } else if (fence === undefined && isDirectiveLine(text)) {
      const read = readDirectiveLine(text);
      media.push(...read.media);
      if (read.text !== undefined) sink(read.text + ending);
    } else if (text || ending) sink(text + ending);
    // A fence line is always held whole (never shown in part), so a shown line is never one.
    const marker = shown ? undefined : FENCE_RE.exec(text)?.[1];
    if (fence === undefined && marker) fence = marker[0]!.repeat(marker.length);
    else if (fence !== undefined && marker && marker[0] === fence[0] && marker.length >= fence.length) {
      fence = undefined;
    }
  }

  /**
   * Passes on a shown line's text, except an end that may still become the voice tag (and the
   * spaces before it), so the tag is taken out however the deltas cut it.
   */
  function release(): void {
    line = untag(line);
    let hold = line.length;
    if (fence === undefined) {
      for (let i = Math.max(0, line.length - VOICE_TAG.length + 1); i < line.length; i++) {
        if (VOICE_TAG.startsWith(line.slice(i))) {
          hold = i;
          break;
        }
      }
      while (hold > 0 && (line[hold - 1] === " " || line[hold - 1] === "\t")) hold--;
    }
    if (hold > 0) sink(line.slice(0, hold));
    line = line.slice(hold);
  }

  /** Whether the start of a line could still grow into a directive. */
  function mayBecomeDirective(start: string): boolean {
    if (fence !== undefined) return false;
    const indent = /^ */.exec(start)![0].length;
    if (indent > 3) return false;
    const head = start.slice(indent, indent + DIRECTIVE_PREFIX.length).toUpperCase();
    if (VOICE_TAG.startsWith(start.slice(indent, indent + VOICE_TAG.length))) return true;
    return DIRECTIVE_PREFIX.startsWith(head) || head === DIRECTIVE_PREFIX;
  }

  /** Whether the start of a line could still be a code fence (which must be seen whole). */
  function mayBecomeFence(start: string): boolean {
    return /^ {0,3}(`{0,3}|~{0,3})$/.test(start) || FENCE_RE.test(start);
  }

  return {
    push(delta) {
      const pieces = delta.split("\n");
      for (let i = 0; i < pieces.length; i++) {
        let piece = pieces[i]!;
        const last = i === pieces.length - 1;
        if (afterTag) {
          // The spaces after a tag taken out go with it, even when they come in a later delta.
          piece = piece.replace(/^[ \t]+/, "");
          if (piece || !last) afterTag = false;
        }
        if (!last) {
          complete(line + piece, true);
          line = "";
          shown = tagged = afterTag = false;
          continue;
        }
        line += piece;
        if (!shown && line && !mayBecomeDirective(line) && !mayBecomeFence(line)) shown = true;
        if (shown && line) release();
      }
    },
    end() {
      if (line || !shown) complete(line, false);
      line = "";
      return media;
    },
    get voice() {
      return voice;
    },
  };
}

/** Leaves at most one empty line in a row outside code blocks; a code block keeps its lines as written. */
function collapseGaps(text: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  let empty = 0;
  for (const line of text.split("\n")) {
    const marker = FENCE_RE.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    } else if (line === "") {
      if (++empty > 1) continue;
    } else {
      empty = 0;
      if (marker) fence = marker[0]!.repeat(marker.length);
    }
    kept.push(line);
  }
  return kept.join("\n");
}

/** Splits a whole answer into the text to show, the files its `MEDIA:` lines name, and whether audio goes as voice. */
export function splitMediaLines(answer: string): { text: string; media: string[]; voice?: boolean } {
  if (!/media:/i.test(answer) && !answer.includes(VOICE_TAG)) return { text: answer, media: [] };
  let text = "";
  const filter = mediaLineFilter((piece) => text += piece);
  filter.push(answer);
  const media = filter.end();
  if (media.length === 0 && !filter.voice && text.trim() === answer.trim()) return { text: answer, media };
  // A taken-out line leaves no gap wider than a paragraph break, as the reference's cleaned text.
  const cleaned = collapseGaps(text.replace(/^(?:[ \t]*\n)+/, "")).trimEnd();
  return { text: cleaned, media, ...(filter.voice ? { voice: true } : {}) };
}
