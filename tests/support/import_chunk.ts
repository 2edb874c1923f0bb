// Loads a bundle chunk's text as a module of its own, the way the bundle's chunks are loaded.

/** Writes `text` to a fresh temporary directory as `chunk.js`, imports it, and removes the directory. */
export async function importChunk(text: string): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir({ prefix: "oc-chunk-" });
  try {
    await Deno.writeTextFile(`${dir}/chunk.js`, text);
    return await import(`file://${dir}/chunk.js`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
