// The `edit` tool as the reference declares it: exact replacements (`edits[]`, or the older single
// `oldText`/`newText`), each unique in the original file, written atomically with BOM and CRLF kept.
import { applyEdits, type TextEdit } from "./edit_apply.ts";
import { writeFileAtomic } from "./atomic_write.ts";
import { readFileWithin } from "./confined_fs.ts";
import { diffDetails } from "./text_diff.ts";
import { type AgentTool, ToolError } from "./tool.ts";
import type { FileToolSettings } from "./tool_read.ts";
import { assertRequiredParams, validEdits } from "./tool_params.ts";
import { resolveToolPath } from "./tool_paths.ts";
import { isJsonObject } from "../log/json_object.ts";

function isEdit(value: unknown): value is TextEdit {
  return isJsonObject(value) && typeof value.oldText === "string" && typeof value.newText === "string";
}

/**
 * The edits of a call: `edits` (an array, or an array written as a JSON string) plus a top-level
 * pair; the required-argument check then refuses anything that is not a list of replacements.
 */
export function editsOf(args: Record<string, unknown>): TextEdit[] {
  let raw = args.edits;
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch { /* left as is: refused below */ }
  }
  const edits = Array.isArray(raw)
    ? raw.map((edit) => isEdit(edit) ? { oldText: edit.oldText, newText: edit.newText } : edit)
    : [];
  if (typeof args.oldText === "string" && typeof args.newText === "string") {
    const pair = { oldText: args.oldText, newText: args.newText };
    if (!edits.some((edit) => isEdit(edit) && edit.oldText === pair.oldText && edit.newText === pair.newText)) {
      edits.push(pair);
    }
  }
  return edits as TextEdit[];
}

/**
 * A call's arguments as the reference's edit prepares them before its schema check: `edits` written as JSON text
 * parsed, each edit cut to its two fields (a missing one stays a present, undefined key, which the check then names
 * as not a string), a top-level `oldText`/`newText` pair folded in, and only `path` and `edits` kept.
 */
export function prepareEditArgs(args: Record<string, unknown>): Record<string, unknown> {
  let edits = args.edits;
  if (typeof edits === "string") {
    try {
      const parsed = JSON.parse(edits);
      if (Array.isArray(parsed)) edits = parsed;
    } catch { /* left as written: the check refuses it */ }
  }
  if (Array.isArray(edits)) {
    edits = edits.map((edit) => isJsonObject(edit) ? { oldText: edit.oldText, newText: edit.newText } : edit);
  }
  const { oldText, newText } = args;
  if (typeof oldText === "string" && typeof newText === "string") {
    const batch: unknown[] = Array.isArray(edits) ? edits : [];
    const known = batch.some((edit) => isJsonObject(edit) && edit.oldText === oldText && edit.newText === newText);
    if (!known) batch.push({ oldText, newText });
    edits = batch;
  }
  return { path: args.path, edits };
}

/** The `edit` tool for one workspace policy. */
export function editTool(settings: () => FileToolSettings): AgentTool {
  return {
    name: "edit",
    label: "edit",
    description:
      "Exact single-file replacements. oldText unique/non-overlapping against original. Merge nearby changes; omit large unchanged spans.",
    parameters: {
      type: "object",
      required: ["path", "edits"],
      properties: {
        path: { type: "string", description: "File path; relative/absolute." },
        edits: {
          type: "array",
          items: {
            type: "object",
            required: ["oldText", "newText"],
            properties: {
              oldText: { type: "string", description: "Exact original text; unique and non-overlapping in this call." },
              newText: { type: "string", description: "Replacement text." },
            },
          },
          description: "Targeted replacements against original file; no overlap/nesting. Merge nearby changes.",
        },
      },
    },
    prepareArgs: prepareEditArgs,
    async execute(args, call) {
      if (call.signal.aborted) throw new ToolError("Operation aborted");
      const edits = editsOf(args);
      // The reference checks after folding a top-level pair into `edits`; absent edits stay absent.
      const given = Array.isArray(args.edits) || typeof args.edits === "string" || edits.length > 0
        ? edits
        : args.edits;
      assertRequiredParams({ path: args.path, edits: given }, [
        { keys: ["path"], label: "path" },
        { keys: ["edits"], label: "edits", validator: validEdits },
      ]);
      const { confined, home } = settings();
      const target = await resolveToolPath(args.path as string, {
        workspace: call.workspace,
        confined,
        home,
        tempHint: true,
      });
      // Confined, the reference's guard hands the tool the resolved path: its messages show that.
      const path = confined ? target.absolute : args.path as string;
      let raw: string;
      try {
        raw = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
          await readFileWithin(target.absolute, target.root),
        );
      } catch (error) {
        const code = error instanceof Deno.errors.NotFound
          ? "ENOENT"
          : error instanceof Deno.errors.PermissionDenied
          ? "EACCES"
          : undefined;
        if (code) throw new ToolError(`Could not edit file: ${path}. Error code: ${code}.`);
        // The reference's access check passes for a directory; its read then fails with node's words.
        if (error instanceof Deno.errors.IsADirectory) {
          throw new ToolError("EISDIR: illegal operation on a directory, read");
        }
        if (error instanceof TypeError) {
          throw new ToolError(`Could not edit file: ${path}. The file is not valid UTF-8 text.`);
        }
        throw error;
      }
      const bom = raw.startsWith("\uFEFF") ? "\uFEFF" : "";
      const text = bom ? raw.slice(1) : raw;
      const crlf = text.includes("\r\n");
      const normalized = text.replaceAll("\r\n", "\n");
      const outcome = applyEdits(normalized, edits, path);
      if (!outcome.changed) {
        const identical = edits.every((edit) => edit.oldText === edit.newText);
        return {
          content: [{
            type: "text",
            text: identical
              ? `No changes made to ${path}. The replacement text is identical to the original.`
              : `No changes made to ${path}. The replacement produced identical content.`,
          }],
          details: { changed: false },
        };
      }
      if (call.signal.aborted) throw new ToolError("Operation aborted");
      await writeFileAtomic(
        target.absolute,
        bom + (crlf ? outcome.content.replaceAll("\n", "\r\n") : outcome.content),
        target.root,
      );
      return {
        content: [{ type: "text", text: `Successfully replaced ${outcome.applied} block(s) in ${path}.` }],
        details: { changed: true, ...diffDetails(path, normalized, outcome.content) },
      };
    },
  };
}
