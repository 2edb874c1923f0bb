// How deep a config file may nest. The config walks (env substitution, `$include` search, the checks)
// recurse, so a runaway file is refused by this iterative walk first, with a path, not a stack overflow.

/** How deep a config may nest (objects and lists); real ones stay under 20. */
export const MAX_CONFIG_DEPTH = 128;

/** A value on the depth walk's stack, with the way back to the root (a path is built only when needed). */
interface DepthFrame {
  node: object;
  depth: number;
  key: string;
  up: DepthFrame | undefined;
}

/** The path to the first value nested deeper than `max` levels, if any (no recursion: any depth is safe). */
export function deeperThan(root: object, max: number): string[] | undefined {
  const stack: DepthFrame[] = [{ node: root, depth: 0, key: "", up: undefined }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.depth > max) {
      const path: string[] = [];
      for (let at: DepthFrame | undefined = frame; at?.up; at = at.up) path.unshift(at.key);
      return path;
    }
    for (const [key, child] of Object.entries(frame.node)) {
      if (child !== null && typeof child === "object") {
        stack.push({ node: child, depth: frame.depth + 1, key, up: frame });
      }
    }
  }
  return undefined;
}
