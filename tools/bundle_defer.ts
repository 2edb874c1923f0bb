// Deno reads and parses every chunk a bundle's `import("./x.js")` names when the program starts,
// not only those it runs (docs/performance.md). For a chunk only some configurations need and that
// weighs hundreds of KiB (a chat SDK), that is idle memory for everyone. Written as
// `import(new URL("./x.js", import.meta.url).href)`, the import is no longer statically analyzable:
// Deno loads the chunk when the import runs. `deno task compile` embeds dist/bundle with
// `--include`, so the compiled program finds it too.

/** Functions whose chunks load only when called: the Discord SDK chunk (about 740 KB) is read only with a Discord account. */
export const DEFERRED_ENTRY_NAMES: readonly string[] = [
  "createDiscordAccount",
  // WhatsApp: the account, the Baileys socket (Baileys, libsignal, protobufs) and the QR login and drawing.
  "createWhatsAppAccount",
  "createBaileysSocket",
  "WhatsAppWebLogins",
  "qrPngDataUrl",
];

/**
 * Rewrites, in every chunk, the dynamic imports of the chunks that define one of `names` (as
 * `--keep-names` records them: `"createDiscordAccount"`) into the form Deno does not prefetch.
 * Returns only the chunks whose text changed.
 */
export function deferChunkImports(
  chunks: ReadonlyMap<string, string>,
  names: readonly string[] = DEFERRED_ENTRY_NAMES,
): Map<string, string> {
  const deferred = [...chunks].filter(([, text]) => names.some((name) => text.includes(`"${name}"`)))
    .map(([file]) => file);
  const changed = new Map<string, string>();
  if (deferred.length === 0) return changed;
  for (const [file, text] of chunks) {
    let patched = text;
    for (const target of deferred) {
      patched = patched.replaceAll(`import("./${target}")`, `import(new URL("./${target}",import.meta.url).href)`);
    }
    if (patched !== text) changed.set(file, patched);
  }
  return changed;
}
