/**
 * True when something (a file, a directory, a link, even a dangling one) is at `path`; false when
 * nothing is, including a path through a file. Other errors (permissions) are thrown: "cannot tell"
 * is not "absent".
 */
export async function entryExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return false;
    throw error;
  }
}
