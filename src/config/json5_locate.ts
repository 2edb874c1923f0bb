/** A 1-based line and column in a source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Finds where a key path is written in JSON5 source, so schema errors can name a line and
 * column. json5 itself reports positions only for syntax errors; this walks the same grammar
 * (comments, quoted and bare keys, strings in either quote) far enough to map paths to offsets.
 * Returns the position of the deepest path prefix that exists (an unknown key is reported at
 * its own key; a missing key at its parent).
 */
export function locateJson5Path(
  source: string,
  path: readonly (string | number)[],
): SourcePosition | undefined {
  const scanner = new Scanner(source);
  try {
    scanner.skipTrivia();
    const offset = scanner.findPath(path, 0);
    return offset === undefined ? undefined : positionAt(source, offset);
  } catch {
    // Unparseable source: the parse error itself carries a position.
    return undefined;
  }
}

/**
 * Where the value at a key path starts in JSON5 source, as the reference locates a config issue: the
 * last of duplicate keys wins (JSON5 keeps the last), and a path not written in full has no position.
 */
export function locateJson5Value(
  source: string,
  path: readonly (string | number)[],
): SourcePosition | undefined {
  if (path.length === 0 || source.trim() === "") return undefined;
  const scanner = new Scanner(source);
  try {
    scanner.skipTrivia();
    const offset = scanner.findValue(path, 0);
    return offset === undefined ? undefined : positionAt(source, offset);
  } catch {
    return undefined;
  }
}

/** Where one string value sits in JSON5 source: its key path and the span of its literal, quotes included. */
export interface StringValueSpan {
  path: (string | number)[];
  start: number;
  end: number;
}

/** Every string value and every comment of a JSON5 document, by position. */
export interface Json5Layout {
  strings: StringValueSpan[];
  /** `[start, end)` of each comment. */
  comments: [number, number][];
}

/**
 * Maps every string value of a JSON5 document to its key path and source span, so a value can
 * be replaced in place (redaction) without touching any other text. Duplicate keys all appear,
 * under the same path. Returns undefined when the source does not scan as a JSON5 document.
 */
export function json5Layout(source: string): Json5Layout | undefined {
  const comments: [number, number][] = [];
  const scanner = new Scanner(source, comments);
  const strings: StringValueSpan[] = [];
  try {
    scanner.skipTrivia();
    scanner.collectStrings([], strings);
    scanner.skipTrivia();
    if (!scanner.atEnd()) return undefined;
  } catch {
    return undefined;
  }
  return { strings, comments };
}

/** Converts a character offset to a 1-based line and column. */
export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Scanner {
  #src: string;
  #pos = 0;
  #comments: [number, number][] | undefined;

  constructor(src: string, comments?: [number, number][]) {
    this.#src = src;
    this.#comments = comments;
  }

  atEnd(): boolean {
    return this.#pos >= this.#src.length;
  }

  /** Records the span of every string value from the current value on, with its key path. */
  collectStrings(path: (string | number)[], out: StringValueSpan[]): void {
    const ch = this.#src[this.#pos];
    if (ch === '"' || ch === "'") {
      const start = this.#pos;
      this.#readString();
      out.push({ path, start, end: this.#pos });
    } else if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      this.#pos++;
      for (let index = 0;; index++) {
        this.skipTrivia();
        if (this.#src[this.#pos] === close) {
          this.#pos++;
          return;
        }
        let key: string | number = index;
        if (ch === "{") {
          key = this.#readKey();
          this.skipTrivia();
          this.#expect(":");
          this.skipTrivia();
        }
        this.collectStrings([...path, key], out);
        this.skipTrivia();
        if (this.#src[this.#pos] === ",") this.#pos++;
        else if (this.#src[this.#pos] !== close) throw new Error(`expected , or ${close}`);
      }
    } else {
      this.#skipValue();
    }
  }

  skipTrivia(): void {
    const src = this.#src;
    while (this.#pos < src.length) {
      const ch = src[this.#pos]!;
      if (/\s/.test(ch) || ch === "\uFEFF") {
        this.#pos++;
      } else if (src.startsWith("//", this.#pos)) {
        const end = src.indexOf("\n", this.#pos);
        const next = end === -1 ? src.length : end + 1;
        this.#comments?.push([this.#pos, next]);
        this.#pos = next;
      } else if (src.startsWith("/*", this.#pos)) {
        const end = src.indexOf("*/", this.#pos + 2);
        if (end === -1) throw new Error("unterminated comment");
        this.#comments?.push([this.#pos, end + 2]);
        this.#pos = end + 2;
      } else {
        return;
      }
    }
  }

  /** Returns the offset of the value at `path[depth..]`, starting at the current value. */
  findPath(path: readonly (string | number)[], depth: number): number | undefined {
    const start = this.#pos;
    if (depth === path.length) return start;
    const ch = this.#src[this.#pos];
    const want = path[depth]!;
    if (ch === "{") return this.#findInObject(path, depth, String(want)) ?? start;
    if (ch === "[" && typeof want === "number") return this.#findInArray(path, depth, want) ?? start;
    return start;
  }

  /** The offset of the value at `path` from here (the last duplicate key's), or undefined when it is not written. */
  findValue(path: readonly (string | number)[], depth: number): number | undefined {
    if (depth === path.length) return this.#pos;
    const want = path[depth]!;
    const ch = this.#src[this.#pos];
    if (typeof want === "number") {
      if (ch !== "[") return undefined;
      this.#pos++;
      for (let index = 0;; index++) {
        this.skipTrivia();
        if (this.#src[this.#pos] === "]") return undefined;
        if (index === want) return this.findValue(path, depth + 1);
        this.#skipValue();
        this.skipTrivia();
        if (this.#src[this.#pos] !== ",") return undefined;
        this.#pos++;
      }
    }
    if (ch !== "{") return undefined;
    this.#pos++;
    let found: number | undefined;
    for (;;) {
      this.skipTrivia();
      if (this.#src[this.#pos] === "}") return found;
      const key = this.#readKey();
      this.skipTrivia();
      this.#expect(":");
      this.skipTrivia();
      const valueStart = this.#pos;
      if (key === want) {
        found = this.findValue(path, depth + 1);
        this.#pos = valueStart;
      }
      this.#skipValue();
      this.skipTrivia();
      if (this.#src[this.#pos] !== ",") return found;
      this.#pos++;
    }
  }

  #findInObject(path: readonly (string | number)[], depth: number, want: string): number | undefined {
    this.#pos++; // {
    for (;;) {
      this.skipTrivia();
      if (this.#src[this.#pos] === "}") return undefined;
      const keyStart = this.#pos;
      const key = this.#readKey();
      this.skipTrivia();
      this.#expect(":");
      this.skipTrivia();
      if (key === want) {
        if (depth + 1 === path.length) return keyStart;
        return this.findPath(path, depth + 1);
      }
      this.#skipValue();
      this.skipTrivia();
      if (this.#src[this.#pos] === ",") this.#pos++;
    }
  }

  #findInArray(path: readonly (string | number)[], depth: number, want: number): number | undefined {
    this.#pos++; // [
    for (let index = 0;; index++) {
      this.skipTrivia();
      if (this.#src[this.#pos] === "]") return undefined;
      if (index === want) return this.findPath(path, depth + 1);
      this.#skipValue();
      this.skipTrivia();
      if (this.#src[this.#pos] === ",") this.#pos++;
    }
  }

  #readKey(): string {
    const ch = this.#src[this.#pos];
    if (ch === '"' || ch === "'") return this.#readString();
    const match = /^[^\s:,{}[\]/]+/.exec(this.#src.slice(this.#pos, this.#pos + 256));
    if (!match) throw new Error("bad key");
    this.#pos += match[0].length;
    return match[0];
  }

  #readString(): string {
    const quote = this.#src[this.#pos]!;
    let out = "";
    this.#pos++;
    while (this.#pos < this.#src.length) {
      const ch = this.#src[this.#pos]!;
      if (ch === "\\") {
        out += this.#src[this.#pos + 1] ?? "";
        this.#pos += 2;
        continue;
      }
      this.#pos++;
      if (ch === quote) return out;
      out += ch;
    }
    throw new Error("unterminated string");
  }

  #skipValue(): void {
    const ch = this.#src[this.#pos];
    if (ch === '"' || ch === "'") {
      this.#readString();
    } else if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      this.#pos++;
      for (;;) {
        this.skipTrivia();
        if (this.#src[this.#pos] === close) {
          this.#pos++;
          return;
        }
        if (ch === "{") {
          this.#readKey();
          this.skipTrivia();
          this.#expect(":");
          this.skipTrivia();
        }
        this.#skipValue();
        this.skipTrivia();
        if (this.#src[this.#pos] === ",") this.#pos++;
      }
    } else {
      const match = /^[^\s,}\]/]+/.exec(this.#src.slice(this.#pos, this.#pos + 512));
      if (!match) throw new Error("bad value");
      this.#pos += match[0].length;
    }
  }

  #expect(ch: string): void {
    if (this.#src[this.#pos] !== ch) throw new Error(`expected ${ch}`);
    this.#pos++;
  }
}
