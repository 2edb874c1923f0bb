// The one-line detail of a shell call (`exec`/`bash`) as the reference's clients show it: the call's own
// `title`, else its command on one line (a `sh -c` wrapper unwrapped, credentials masked, long commands cut in
// the middle) with where it runs. The reference also rewrites commands it recognizes into words ("list files
// in src"); this gateway shows those as the command itself (docs/compatibility.md).
import { redactToolPayload } from "../log/tool_payload_redact.ts";
import { sliceUtf16Safe } from "../text/utf16_slice.ts";

/** Text with credentials masked, as tool details are. */
export function redactDetail(text: string): string {
  return redactToolPayload(text) as string;
}

/** ANSI sequences dropped and control characters removed (line breaks and tabs written out). */
function terminalSafe(input: string): string {
  // deno-lint-ignore no-control-regex
  const plain = input.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*(?:\u0007|\u001b\\)/g, "");
  return plain.replace(/\p{Cc}/gu, (c) => c === "\r" ? "\\r" : c === "\n" ? "\\n" : c === "\t" ? "\\t" : "");
}

/** The command on one line, masked, cut in the middle past `max` characters. */
function compactCommand(raw: string, max = 120): string {
  const oneLine = redactDetail(raw.replace(/\s*\n\s*/g, " ").replace(/\s{2,}/g, " ").trim());
  if (oneLine.length <= max) return oneLine;
  const half = Math.floor((max - 1) / 2);
  return `${sliceUtf16Safe(oneLine, 0, half)}…${sliceUtf16Safe(oneLine, -(max - 1 - half))}`;
}

/** `bash -c '…'` (or sh, zsh, fish with -c, -lc, -ic): the inner command. */
function unwrapShell(command: string): string {
  const words = command.trim().split(/\s+/);
  if (words.length < 3) return command;
  const bin = words[0]!.split("/").at(-1);
  if (!["bash", "sh", "zsh", "fish"].includes(bin ?? "")) return command;
  const flag = command.match(/^\s*\S+\s+(?:\S+\s+)*?-(?:c|lc|ic)\s+/);
  if (!flag) return command;
  const inner = command.slice(flag[0].length).trim();
  const quoted = inner.match(/^(['"])([\s\S]*)\1$/);
  return quoted ? quoted[2]! : inner || command;
}

/** Where a command runs, as the reference names the kinds of directory. */
function cwdSuffix(cwd: string): string | undefined {
  const segments = cwd.replace(/\\/g, "/").replace(/\/+$/g, "").split("/").filter(Boolean);
  let kind: string | undefined;
  if (segments.length > 0) {
    for (const [i, segment] of segments.entries()) {
      if (segment === ".openclaw" && segments[i + 1] === "workspace") kind = "agent";
      else if (segment === ".openclaw" && segments[i + 1] === "sandboxes") kind = "sandbox";
      else if (/[-_]workspace$/i.test(segment) && segment.toLowerCase() !== "workspace") kind = "agent";
      else if (/^workspace[-_]/i.test(segment)) kind = "agent";
      if (kind) break;
    }
    if (!kind && (segments.includes("Projects") || segments.includes("projects"))) kind = "repo";
    if (!kind && segments.at(-1)?.toLowerCase() === "workspace") kind = "workspace";
  }
  if (kind === "sandbox") return undefined;
  return kind ? `(${kind})` : `(in ${cwd})`;
}

/** The detail of a shell call from its arguments; none without a title, code or command. */
export function execDetail(args: Record<string, unknown>): string | undefined {
  if (typeof args.title === "string") {
    const title = sliceUtf16Safe(redactDetail(terminalSafe(args.title.replace(/\s+/gu, " ")).trim()), 0, 120);
    if (title) return title;
  }
  for (const code of [args.code, args.input]) {
    if (typeof code === "string" && code.trim()) {
      return args.language === "typescript" ? "run TypeScript" : "run JavaScript";
    }
  }
  const raw = typeof args.command === "string" ? args.command.trim() : "";
  if (!raw) return undefined;
  const node = args.host === "node" && typeof args.node === "string" && args.node.trim() ? args.node.trim() : undefined;
  const compact = compactCommand(unwrapShell(raw));
  const cwd = typeof args.workdir === "string" ? args.workdir : typeof args.cwd === "string" ? args.cwd : undefined;
  const suffix = cwd?.trim() ? cwdSuffix(cwd.trim()) : undefined;
  return `${suffix ? `${compact} ${suffix}` : compact}${node ? `, node: ${node}` : ""}`;
}
