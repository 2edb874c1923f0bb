// The `ls` tool as the reference declares it (part of its default coding tools): one directory's
// entries in binary name order, JSON-quoted, `/` after real directories, paged with an `after`
// cursor within 50 KB.
import { type AgentTool, ToolError } from "./tool.ts";
import type { FileToolSettings } from "./tool_read.ts";
import { resolveToolPath } from "./tool_paths.ts";
import { listDirectoryWithin, type ListedEntry } from "./confined_list.ts";

const DEFAULT_LIMIT = 500;
const PAGE_MAX_BYTES = 51_200;
const encoder = new TextEncoder();

function continuation(after: string): string {
  return `\n\n[More entries. Continue with the same path and after=${JSON.stringify(after)}.]`;
}

async function entriesOf(path: string, root: string | undefined): Promise<ListedEntry[]> {
  try {
    return await listDirectoryWithin(path, root);
  } catch (error) {
    // Node's wording, which the reference's readdir passes through.
    if (error instanceof Deno.errors.NotFound) {
      throw new ToolError(`ENOENT: no such file or directory, scandir '${path}'`);
    }
    if (error instanceof Deno.errors.NotADirectory) throw new ToolError(`ENOTDIR: not a directory, scandir '${path}'`);
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new ToolError(`EACCES: permission denied, scandir '${path}'`);
    }
    throw error;
  }
}

/** The `ls` tool for one workspace policy. */
export function lsTool(settings: () => FileToolSettings): AgentTool {
  return {
    name: "ls",
    label: "ls",
    description:
      "List directory entries in binary filename order, including dotfiles and links. Names are JSON-quoted; / marks actual directories. Pass the returned after cursor with the same path to continue.",
    parameters: {
      type: "object",
      properties: {
        path: { type: "string", description: "Directory; default cwd." },
        limit: { type: "number", description: "Max entries; default 500." },
        after: { type: "string", description: "Filename cursor returned by the previous page." },
      },
    },
    async execute(args, call) {
      if (call.signal.aborted) throw new ToolError("Operation aborted");
      const raw = typeof args.path === "string" && args.path !== "" ? args.path : ".";
      const after = typeof args.after === "string" ? args.after : undefined;
      const limit = typeof args.limit === "number" && Number.isFinite(args.limit)
        ? Math.max(1, Math.floor(args.limit))
        : DEFAULT_LIMIT;
      const { confined, home } = settings();
      const target = await resolveToolPath(raw, { workspace: call.workspace, confined, home, tempHint: true });
      const entries = (await entriesOf(target.absolute, target.root)).filter((entry) =>
        after === undefined || entry.name > after
      )
        .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      if (entries.length === 0) {
        return { content: [{ type: "text", text: "(empty directory)" }], details: { content: "(empty directory)" } };
      }
      const fits = (text: string) => encoder.encode(text).length <= PAGE_MAX_BYTES;
      const lines: string[] = [];
      for (const entry of entries) {
        if (lines.length >= limit) break;
        const line = JSON.stringify(entry.name + (entry.isDirectory ? "/" : ""));
        if (!fits([...lines, line].join("\n"))) break;
        lines.push(line);
      }
      while (lines.length > 0) {
        const nextAfter = lines.length < entries.length ? entries[lines.length - 1]!.name : undefined;
        const output = lines.join("\n") + (nextAfter === undefined ? "" : continuation(nextAfter));
        if (fits(output)) {
          return {
            content: [{ type: "text", text: output }],
            details: { content: output, ...(nextAfter === undefined ? {} : { nextAfter }) },
          };
        }
        lines.pop();
      }
      throw new ToolError("A directory entry cannot fit within the listing output budget.");
    },
  };
}
