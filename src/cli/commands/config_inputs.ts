// The inputs `openclaw config set --batch-file` and `config patch --file|--stdin` read, bounded as
// the reference bounds them: a file at 8 MiB, stdin at 1 MiB, and its words when one is refused.
import { ConfigEditError } from "../../config/config_edit.ts";
import { concat } from "../../server/ws_frames.ts";

/** A file input's limit (`--file`, `--batch-file`). */
const FILE_MAX_BYTES = 8 * 1024 * 1024;
/** `config patch --stdin`'s limit. */
const STDIN_MAX_BYTES = 1024 * 1024;

/** Reads `config patch --stdin` (never a terminal), refusing more than 1 MiB. */
export async function readPatchStdin(): Promise<string> {
  const modeError = (message: string) => new ConfigEditError(`config patch mode error: ${message}`);
  if (Deno.stdin.isTerminal()) {
    throw modeError("--stdin refuses to read from an interactive terminal; pipe input or use --file <path>.");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of Deno.stdin.readable) {
    size += chunk.length;
    if (size > STDIN_MAX_BYTES) {
      throw modeError(`--stdin input exceeds ${STDIN_MAX_BYTES} bytes; use --file <path> for larger patches.`);
    }
    chunks.push(chunk);
  }
  return new TextDecoder().decode(concat(chunks, size));
}

/** Reads an input file named by `label` (`--file`, `--batch-file`): a regular file of at most 8 MiB. */
export async function readInputFile(file: string, label: string): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      // The reference appends Node's own error text; users' scripts match the whole line.
      throw new ConfigEditError(
        `${label} not found: ${file}. Check the path and try again. | ENOENT: no such file or directory, open '${file}' | ENOENT`,
      );
    }
    throw error;
  }
  if (!info.isFile) {
    throw new ConfigEditError(`${label} must be a regular file: ${file}. Choose a JSON5 input file and try again.`);
  }
  if (info.size > FILE_MAX_BYTES) {
    throw new ConfigEditError(
      `${label} exceeds the 8 MiB supported maximum (${FILE_MAX_BYTES} bytes): ${file}`,
    );
  }
  return await Deno.readTextFile(file);
}
