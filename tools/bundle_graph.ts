// The import graph of a bundle's chunks, read off esbuild's minified output: what each chunk imports
// statically, and which chunks import one another in a cycle.

/** The chunks a chunk imports statically (`import … from`, `export … from`, `import "…"`), by file name. */
export function staticImports(chunk: string): string[] {
  const files: string[] = [];
  for (const match of chunk.matchAll(/(?:import|export)[\w$*{}\s,]*?from\s*"\.\/([\w.-]+\.js)"/g)) {
    files.push(match[1]!);
  }
  for (const match of chunk.matchAll(/import\s*"\.\/([\w.-]+\.js)"/g)) files.push(match[1]!);
  return files;
}

/** The chunks that import one another in a cycle, directly or through others (static imports only). */
export function chunksInCycles(imports: ReadonlyMap<string, readonly string[]>): Set<string> {
  const inCycle = new Set<string>();
  // Tarjan's strongly connected components, iterative so a deep import chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let next = 0;
  for (const root of imports.keys()) {
    if (index.has(root)) continue;
    const work: { file: string; edge: number }[] = [{ file: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work.at(-1)!;
      const targets = imports.get(frame.file) ?? [];
      if (frame.edge < targets.length) {
        const target = targets[frame.edge++]!;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ file: target, edge: 0 });
        } else if (onStack.has(target)) low.set(frame.file, Math.min(low.get(frame.file)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) !== index.get(frame.file)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.file);
      const selfImport = targets.includes(frame.file);
      if (component.length > 1 || selfImport) { for (const file of component) inCycle.add(file); }
    }
  }
  return inCycle;
}
