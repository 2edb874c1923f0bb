// apply_patch's work: parse the envelope, then add, update, move and delete files in order, each
// written atomically (an add or a move never replaces an existing file), with the reference's
// summary text and refusals.
import { basename, dirname } from "node:path";
import { writeFileAtomic } from "./atomic_write.ts";
import { assertPlaced, makeDirectoryWithin, readFileWithin, withinDirectory, writeAll } from "./confined_fs.ts";
import { applyChunks } from "./patch_apply.ts";
import { parsePatch } from "./patch_parse.ts";
import { type AgentTool, ToolError } from "./tool.ts";
import { resolveToolPath, type ToolPath } from "./tool_paths.ts";

/** What apply_patch changed, as its `details.summary`. */
export interface PatchSummary {
  added: string[];
  modified: string[];
  deleted: string[];
}

/** Creates `path` with `contents` only if nothing is there yet (a temp file hard-linked into place). */
async function createExclusive(target: ToolPath, contents: string, hint: string): Promise<void> {
  await makeDirectoryWithin(dirname(target.absolute), target.root);
  await withinDirectory(dirname(target.absolute), target.root, async (dir) => {
    const name = basename(target.absolute);
    const temp = `${dir}/.${name}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      const written = await file.stat();
      if (target.root !== undefined) await assertPlaced(temp, target.root, file, written);
      await writeAll(file, new TextEncoder().encode(contents));
      await Deno.link(temp, `${dir}/${name}`);
      if (target.root !== undefined) await assertPlaced(`${dir}/${name}`, target.root, file, written);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) {
        throw new ToolError(`Cannot create ${target.display}: the file already exists. ${hint}`);
      }
      throw error;
    } finally {
      file.close();
      await Deno.remove(temp).catch(() => {});
    }
  });
}

/** Removes the file (or link) `target` names, in its directory as checked; never a directory. */
async function removeFile(target: ToolPath): Promise<void> {
  await withinDirectory(dirname(target.absolute), target.root, async (dir) => {
    const path = `${dir}/${basename(target.absolute)}`;
    if ((await Deno.lstat(path)).isDirectory) throw new ToolError(`Cannot delete ${target.display}: it is a directory`);
    await Deno.remove(path);
  });
}

async function readExisting(target: ToolPath): Promise<string> {
  try {
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await readFileWithin(target.absolute, target.root));
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? `Failed boundary read for ${target.absolute} (path not found)`
      : error instanceof Error
      ? error.message
      : String(error);
    throw new ToolError(`Failed to read file to update ${target.absolute}: ${reason}`);
  }
}

function sameText(a: string, b: string): boolean {
  const norm = (text: string) => {
    const lf = text.replace(/\r\n?/g, "\n");
    return lf === "" || lf.endsWith("\n") ? lf : `${lf}\n`;
  };
  return norm(a) === norm(b);
}

/** Applies a patch in `workspace`; paths resolve and are confined as `confined` says. */
export async function applyPatch(
  input: string,
  options: { workspace: string; confined: boolean; home?: string | undefined; signal?: AbortSignal | undefined },
): Promise<{ summary: PatchSummary; text: string }> {
  const hunks = parsePatch(input);
  if (hunks.length === 0) throw new ToolError("No files were modified.");
  const resolvePath = (raw: string, finalLinkIsTarget = false) =>
    resolveToolPath(raw, {
      workspace: options.workspace,
      confined: options.confined,
      home: options.home,
      finalLinkIsTarget,
    });
  const summary: PatchSummary = { added: [], modified: [], deleted: [] };
  const record = (bucket: keyof PatchSummary, value: string) => {
    if (!summary[bucket].includes(value)) summary[bucket].push(value);
  };
  const noOp = new Set<string>();
  for (const hunk of hunks) {
    if (options.signal?.aborted) throw new ToolError("Aborted");
    if (hunk.kind === "add") {
      const target = await resolvePath(hunk.path);
      await createExclusive(
        target,
        hunk.contents,
        `Use "*** Update File: ${target.display}" to change it, or delete it earlier in the same patch.`,
      );
      record("added", target.display);
      continue;
    }
    if (hunk.kind === "delete") {
      const target = await resolvePath(hunk.path, true);
      // Only a file (or a link, which goes itself) is deleted: never a directory, least of all the workspace.
      const info = await Deno.lstat(target.absolute).catch((error) => {
        if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
          throw new ToolError("file not found");
        }
        throw error;
      });
      if (!info.isFile && !info.isSymlink) {
        throw new ToolError(
          `Cannot delete ${target.display}: ${
            info.isDirectory ? "it is a directory" : "not a regular file"
          }; apply_patch deletes files only.`,
        );
      }
      try {
        await removeFile(target);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) throw new ToolError("file not found");
        throw error;
      }
      record("deleted", target.display);
      continue;
    }
    const target = await resolvePath(hunk.path);
    const before = await readExisting(target);
    const after = applyChunks(before, hunk.chunks, target.absolute);
    const move = hunk.movePath ? await resolvePath(hunk.movePath) : undefined;
    if (move && move.absolute !== target.absolute) {
      noOp.delete(target.display);
      await createExclusive(move, after, "Delete it earlier in the same patch to replace it.");
      await removeFile(target);
      record("modified", move.display);
      continue;
    }
    if (sameText(before, after)) {
      noOp.add(target.display);
      continue;
    }
    noOp.delete(target.display);
    await writeFileAtomic(target.absolute, after, target.root);
    record("modified", target.display);
  }
  const nothing = noOp.size > 0 && Object.values(summary).every((paths) => paths.length === 0);
  const text = nothing ? `No changes made to ${[...noOp].join(", ")}.` : [
    "Success. Updated the following files:",
    ...summary.added.map((file) => `A ${file}`),
    ...summary.modified.map((file) => `M ${file}`),
    ...summary.deleted.map((file) => `D ${file}`),
  ].join("\n");
  return { summary, text };
}

/** The `apply_patch` tool; `settings` are read per call. */
export function applyPatchTool(settings: () => { confined: boolean; home?: string | undefined }): AgentTool {
  return {
    name: "apply_patch",
    label: "apply_patch",
    description: "Patch one/many files. Input requires *** Begin Patch and *** End Patch.",
    parameters: {
      type: "object",
      required: ["input"],
      properties: {
        input: { type: "string", description: "Patch content using the *** Begin Patch/End Patch format." },
      },
    },
    async execute(args, call) {
      const input = typeof args.input === "string" ? args.input : "";
      if (!input.trim()) throw new ToolError("Provide a patch input.");
      if (call.signal.aborted) throw new ToolError("Aborted");
      const { confined, home } = settings();
      const result = await applyPatch(input, { workspace: call.workspace, confined, home, signal: call.signal });
      return { content: [{ type: "text", text: result.text }], details: { summary: result.summary } };
    },
  };
}
