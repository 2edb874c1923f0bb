// `openclaw cron scratch <id> [--set <text> | --file <path|-> | --unset] [--expected-revision <n>]`: an
// automation's private scratch (the heartbeat monitor's checklist) through `cron.scratch.get|set`, as the
// reference CLI reads and replaces it: a change is guarded by the revision it was read at.
import { CRON_SCRATCH_MAX_BYTES } from "../../state/cron_scratch.ts";
import { readInto } from "../../state/open_if_exists.ts";
import { printJson } from "../output.ts";
import { type CronOptions, requireId, withGateway } from "./cron.ts";
import { CronCliError } from "./cron_params.ts";

/** `cron scratch`'s own flags. */
export interface CronScratchOptions extends CronOptions {
  set?: string;
  file?: string;
  unset?: boolean;
  expectedRevision?: string;
}

interface ScratchAnswer {
  scratch: { content: string; revision: number; updatedAtMs: number } | null;
  currentRevision: number;
}

/** `--expected-revision` as a non-negative integer; undefined without it. */
export function expectedRevisionOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new CronCliError("--expected-revision must be a non-negative integer");
  }
  return Number(trimmed);
}

/** The text of `--file` (a path, or `-` for stdin), refused past the scratch cap. */
async function readScratchFile(path: string): Promise<string> {
  const file = path === "-" ? Deno.stdin : await Deno.open(path);
  try {
    // One byte past the cap tells an input that is too long from one that just fits.
    const buffer = new Uint8Array(CRON_SCRATCH_MAX_BYTES + 1);
    const filled = await readInto(file, buffer);
    if (filled > CRON_SCRATCH_MAX_BYTES) throw new CronCliError(`Cron scratch exceeds ${CRON_SCRATCH_MAX_BYTES} bytes`);
    return new TextDecoder().decode(buffer.subarray(0, filled));
  } finally {
    if (file !== Deno.stdin) (file as Deno.FsFile).close();
  }
}

/** `openclaw cron scratch <id>`: prints the scratch, or replaces or removes it. */
export function cronScratch(id: string | undefined, options: CronScratchOptions): Promise<number> {
  return withGateway(options, Boolean(options.json), async (call) => {
    const jobId = requireId(id);
    const mutations = [options.set !== undefined, options.file !== undefined, options.unset === true].filter(Boolean);
    if (mutations.length > 1) throw new CronCliError("choose only one of --set, --file, or --unset");
    // As the reference: a --set or --unset that names its revision is sent as it is; anything else reads first.
    const direct = mutations.length === 1 && options.file === undefined &&
      new TextEncoder().encode(options.set ?? "").length <= CRON_SCRATCH_MAX_BYTES;
    let expectedRevision = direct ? expectedRevisionOf(options.expectedRevision) : undefined;
    if (expectedRevision === undefined) {
      const current = await call<ScratchAnswer>("cron.scratch.get", { id: jobId });
      if (mutations.length === 0) {
        if (options.json) printJson(current);
        else if (current.scratch) await Deno.stdout.write(new TextEncoder().encode(current.scratch.content));
        return 0;
      }
      expectedRevision = expectedRevisionOf(options.expectedRevision) ?? current.currentRevision;
    }
    const content = options.unset
      ? null
      : options.file !== undefined
      ? await readScratchFile(options.file)
      : options.set ?? "";
    const result = await call<{ ok: boolean; currentRevision: number }>("cron.scratch.set", {
      id: jobId,
      content,
      expectedRevision,
    });
    if (!result.ok) {
      throw new CronCliError(`cron scratch changed concurrently (current revision ${result.currentRevision})`);
    }
    printJson(result);
    return 0;
  });
}
