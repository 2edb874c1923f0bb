// Deno reads and parses every chunk a bundle's `import("./x.js")` names when the program starts,
// not only those it runs (docs/performance.md): 156 files and 3.4 MB for `gateway run`, whose
// sources it then keeps, about 4 MB of RSS. Written as `import(new URL("./x.js", import.meta.url).href)`,
// an import is no longer statically analyzable: Deno loads the chunk when the import runs. Every
// chunk import is rewritten so, not only those of named parts: whatever is imported lazily in the
// source (a channel SDK, the agent tools, a CLI command) is read only when it is needed, with no
// list to keep up to date. `deno task compile` embeds dist/bundle with `--include`, so the compiled
// program finds the chunks too.

import { staticImports } from "./bundle_graph.ts";

/** A bundle chunk's dynamic import of another chunk, as esbuild writes it. */
const CHUNK_IMPORT = /import\("\.\/([\w.-]+\.js)"\)/g;

/**
 * Rewrites, in every chunk, the dynamic imports of other chunks into the form Deno does not
 * prefetch. Returns only the chunks whose text changed.
 */
export function deferChunkImports(chunks: ReadonlyMap<string, string>): Map<string, string> {
  const changed = new Map<string, string>();
  for (const [file, text] of chunks) {
    const patched = text.replace(
      CHUNK_IMPORT,
      (whole, target: string) => chunks.has(target) ? `import(new URL("./${target}",import.meta.url).href)` : whole,
    );
    if (patched !== text) changed.set(file, patched);
  }
  return changed;
}

/** The chunks Deno reads before running `entry`: its static imports and the dynamic imports it can analyze, transitively. */
export function staticClosure(chunks: ReadonlyMap<string, string>, entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file) || !chunks.has(file)) continue;
    seen.add(file);
    pending.push(...staticImports(chunks.get(file)!));
    for (const match of chunks.get(file)!.matchAll(CHUNK_IMPORT)) pending.push(match[1]!);
  }
  return seen;
}
