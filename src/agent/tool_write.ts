// The `write` tool as the reference declares it: whole-file writes that create parent directories,
// done atomically here (temp file + rename), with the diff in `details`.
import { writeFileAtomic } from "./atomic_write.ts";
import { readFileWithin } from "./confined_fs.ts";
import { diffDetails } from "./text_diff.ts";
import { type AgentTool, ToolError } from "./tool.ts";
import type { FileToolSettings } from "./tool_read.ts";
import { assertRequiredParams } from "./tool_params.ts";
import { resolveToolPath } from "./tool_paths.ts";

/** Files larger than this get no diff in `details` (the reference's precheck limit). */
const DIFF_MAX_BYTES = 1_048_576;

async function previous(
  path: string,
  root: string | undefined,
): Promise<{ exists: boolean; directory?: boolean; text?: string }> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return { exists: true, directory: info.isDirectory };
    if (info.size > DIFF_MAX_BYTES) return { exists: true };
    return {
      exists: true,
      text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(await readFileWithin(path, root)),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { exists: false };
    throw error;
  }
}

/** The `write` tool for one workspace policy. */
export function writeTool(settings: () => FileToolSettings): AgentTool {
  return {
    name: "write",
    label: "write",
    description: "Write/overwrite file; creates parent directories.",
    parameters: {
      type: "object",
      required: ["path", "content"],
      properties: {
        path: { type: "string", description: "File path; relative/absolute." },
        content: { type: "string", description: "File content." },
      },
    },
    async execute(args, call) {
      if (call.signal.aborted) throw new ToolError("Operation aborted");
      assertRequiredParams(args, [{ keys: ["path"], label: "path" }, {
        keys: ["content"],
        label: "content",
        allowEmpty: true,
      }]);
      const content = args.content as string;
      const { confined, home } = settings();
      const target = await resolveToolPath(args.path as string, {
        workspace: call.workspace,
        confined,
        home,
        tempHint: true,
      });
      // Confined, the reference's guard hands the tool the resolved path: its messages show that.
      const path = confined ? target.absolute : args.path as string;
      const before = await previous(target.absolute, target.root);
      if (before.directory) throw new ToolError(`EISDIR: illegal operation on a directory, open '${target.absolute}'`);
      if (before.text === content) {
        return {
          content: [{ type: "text", text: `No changes made to ${path}. The file already has identical content.` }],
          details: { changed: false },
        };
      }
      if (call.signal.aborted) throw new ToolError("Operation aborted");
      await writeFileAtomic(target.absolute, content, target.root);
      const bytes = new TextEncoder().encode(content).length;
      const diffable = before.exists ? before.text : "";
      const details = diffable === undefined || bytes > DIFF_MAX_BYTES
        ? { changed: true, created: !before.exists }
        : { changed: true, created: !before.exists, ...diffDetails(path, diffable, content) };
      return { content: [{ type: "text", text: `Successfully wrote ${bytes} bytes to ${path}` }], details };
    },
  };
}
