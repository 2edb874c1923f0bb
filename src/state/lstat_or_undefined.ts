// A file's own entry (a symlink itself, never its target), or undefined when nothing is there: the
// first step of every removal and snapshot check that must not follow links.

/** `Deno.lstat(path)`, or undefined when the path does not exist; other errors are thrown. */
export async function lstatOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
