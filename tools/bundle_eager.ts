// V8 compiles a function lazily, on its first call, unless a hint says it will be called soon, and Deno
// writes a module's code cache right after compiling the module, before it runs: a lazily compiled
// function is never in that cache, so every start parses and compiles again each function the start
// calls (about 1,000 for `gateway run`, docs/performance.md). A function V8 compiles together with its
// module is in the cache. V8 takes a function written inside parentheses, `(function…)` or `(…=>…)`,
// as one to compile at once. This module rewrites a bundle chunk so the top-level functions a training
// run saw compiled lazily carry that hint: each declaration becomes a `var` holding the parenthesized
// function, assigned at the top of the chunk, before any of the chunk's own code runs, so nothing in
// the chunk can see it unset. Another chunk could, only inside an import cycle: chunks in one are left
// as they are.

import { parse } from "acorn";
import { chunksInCycles, staticImports } from "./bundle_graph.ts";

/** The V8 `--log-function-events` event that marks a function compiled on its first call. */
const LAZY_EVENT = "parse-function";

/**
 * The functions a V8 `--log-function-events` log shows compiled lazily, per chunk: file name → the
 * functions' start positions (UTF-16 offsets: a function's parameter list, an arrow's own start).
 * Only modules loaded from `file:` URLs count; Deno's own scripts are not ours to rewrite.
 */
export function lazilyCompiled(log: string): Map<string, Set<number>> {
  const scripts = new Map<string, string>();
  const found = new Map<string, Set<number>>();
  for (const line of log.split("\n")) {
    const fields = line.split(",");
    if (fields[0] === "script-details" && fields[2]?.startsWith("file://")) {
      scripts.set(fields[1]!, fields[2].slice(fields[2].lastIndexOf("/") + 1));
    } else if (fields[0] === "function" && fields[1] === LAZY_EVENT && fields.length >= 6) {
      const file = scripts.get(fields[2]!);
      const start = Number(fields[3]);
      if (file === undefined || !Number.isInteger(start)) continue;
      let starts = found.get(file);
      if (!starts) found.set(file, starts = new Set());
      starts.add(start);
    }
  }
  return found;
}

type Node = { type: string; start: number; end: number; [key: string]: unknown };

/**
 * Rewrites `chunk` so each top-level function declaration whose parameter list starts at one of
 * `starts` (V8's start of a function) is compiled with the chunk: `function f(…){…}` becomes
 * `var f=(function(…){…});` at the top of the chunk. The anonymous function takes its name from the
 * `var` as the declaration did, and `f` inside it is the module's binding, reassignable as before;
 * only its source text (`Function.prototype.toString`) loses the name.
 * Arrows and function expressions could be hinted by parentheses too, but measured slower at start
 * (docs/performance.md, session 39); generators, methods and nested declarations are left lazy.
 * Returns the new text and how many functions were changed.
 */
export function eagerChunk(chunk: string, starts: ReadonlySet<number>): { text: string; eager: number } {
  const program = parse(chunk, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true }) as unknown as {
    body: Node[];
  };
  let hoisted = "";
  let body = "";
  let at = 0;
  let eager = 0;
  for (const node of program.body) {
    if (node.type !== "FunctionDeclaration" || node.generator === true) continue;
    const id = node.id as Node & { name: string };
    const params = chunk.indexOf("(", id.end);
    if (!starts.has(params)) continue;
    hoisted += `var ${id.name}=(${node.async === true ? "async " : ""}function${chunk.slice(params, node.end)});`;
    // A `;` where the declaration was: a statement before it that relied on a line break to end it
    // would otherwise run on into whatever follows.
    body += `${chunk.slice(at, node.start)};`;
    at = node.end;
    eager++;
  }
  if (eager === 0) return { text: chunk, eager };
  body += chunk.slice(at);
  // After a hashbang line, which must stay first.
  const top = body.startsWith("#!") ? body.indexOf("\n") + 1 : 0;
  return { text: body.slice(0, top) + hoisted + body.slice(top), eager };
}

/**
 * Applies {@link eagerChunk} to every chunk the log names, except chunks in an import cycle (one of
 * them could call a rewritten function before its chunk has run). Returns the changed chunks' texts
 * and how many functions were made eager; a chunk that does not parse is named in the error.
 */
export function eagerChunks(
  chunks: ReadonlyMap<string, string>,
  lazy: ReadonlyMap<string, ReadonlySet<number>>,
): { changed: Map<string, string>; eager: number } {
  const cyclic = chunksInCycles(new Map([...chunks].map(([name, text]) => [name, staticImports(text)])));
  const changed = new Map<string, string>();
  let eager = 0;
  for (const [name, starts] of lazy) {
    const text = chunks.get(name);
    if (text === undefined || cyclic.has(name)) continue;
    let rewritten: { text: string; eager: number };
    try {
      rewritten = eagerChunk(text, starts);
    } catch (error) {
      throw new Error(`bundle: cannot rewrite ${name} for eager compilation: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (rewritten.eager === 0) continue;
    changed.set(name, rewritten.text);
    eager += rewritten.eager;
  }
  return { changed, eager };
}
