// `openclaw config set`: value, JSON, SecretRef builder and batch modes, resolved into operations
// as the reference resolves them; config_write.ts applies and writes them.
import { batchOperations } from "../../config/config_batch.ts";
import { ConfigEditError, type EditOperation, parseSetValue } from "../../config/config_edit.ts";
import { buildSecretRef } from "../../config/secret_ref_builder.ts";
import { parseConfigPathDetailed } from "../../config/config_path.ts";
import type { GlobalOptions } from "../main.ts";
import { readInputFile } from "./config_inputs.ts";
import { type ConfigWriteFlags, type Expectation, guarded, runOperations } from "./config_write.ts";

/** Flags of `openclaw config set`. */
export interface ConfigSetFlags extends ConfigWriteFlags {
  strictJson?: boolean;
  expectCurrentAbsent?: boolean;
  expectCurrentJson?: string;
  refProvider?: string;
  refSource?: string;
  refId?: string;
  batchJson?: string;
  batchFile?: string;
}

const setModeError = (message: string) => new ConfigEditError(`config set mode error: ${message}`);

function expectationOf(flags: ConfigSetFlags): Expectation | undefined {
  const json = flags.expectCurrentJson;
  if (flags.expectCurrentAbsent && json !== undefined) {
    throw setModeError("choose either --expect-current-absent or --expect-current-json, not both.");
  }
  if (!flags.expectCurrentAbsent && json === undefined) return undefined;
  if (flags.dryRun) throw setModeError("conditional expectations cannot be combined with --dry-run.");
  if (flags.expectCurrentAbsent) return { kind: "absent" };
  try {
    return { kind: "json", value: JSON.parse(json!) };
  } catch (error) {
    // The reference appends the parser's reason after ` | `.
    throw setModeError(`--expect-current-json must be valid JSON. | ${error instanceof Error ? error.message : error}`);
  }
}

function refOperation(
  rawPath: string | undefined,
  rawValue: string | undefined,
  options: ConfigSetFlags,
): EditOperation {
  if (rawPath === undefined || !rawPath.trim()) throw setModeError("ref builder mode requires <path>.");
  if (rawValue !== undefined) throw setModeError("ref builder mode does not accept <value>.");
  if (!options.refProvider || !options.refSource || !options.refId) {
    throw setModeError(
      "ref builder mode requires --ref-provider <alias>, --ref-source <env|file|exec|store>, and --ref-id <id>.",
    );
  }
  const value = buildSecretRef({ provider: options.refProvider, source: options.refSource, id: options.refId });
  const { tokens, quotedNumeric } = parseConfigPathDetailed(rawPath);
  return { inputMode: "builder", path: tokens, quotedNumeric, value };
}

async function batchOf(rawPath: string | undefined, rawValue: string | undefined, options: ConfigSetFlags) {
  if (options.refProvider || options.refSource || options.refId) {
    throw setModeError(
      "batch mode (--batch-json/--batch-file) cannot be combined with ref builder (--ref-*) or provider builder (--provider-*) flags.",
    );
  }
  if (options.batchJson !== undefined && options.batchFile !== undefined) {
    throw new ConfigEditError("Use either --batch-json or --batch-file, not both.");
  }
  if (rawPath !== undefined || rawValue !== undefined) {
    throw setModeError("batch mode does not accept <path> or <value> arguments.");
  }
  if (options.batchJson !== undefined) return batchOperations(options.batchJson, "--batch-json");
  const file = options.batchFile!;
  if (!file.trim()) throw new ConfigEditError("--batch-file must not be empty.");
  return batchOperations(await readInputFile(file, "--batch-file"), "--batch-file");
}

/** `openclaw config set <path> <value>` (value, JSON, SecretRef builder or batch mode). */
export async function configSet(
  rawPath: string | undefined,
  rawValue: string | undefined,
  options: GlobalOptions & ConfigSetFlags,
): Promise<number> {
  return await guarded(options, options, async () => {
    const batch = options.batchJson !== undefined || options.batchFile !== undefined;
    const builder = Boolean(options.refProvider || options.refSource || options.refId);
    if (options.allowExec && !options.dryRun) throw setModeError("--allow-exec requires --dry-run.");
    if (options.merge && options.replace) throw setModeError("choose either --merge or --replace, not both.");
    const expectation = expectationOf(options);
    if (expectation && batch) {
      throw setModeError("conditional expectations require one path operation and cannot be combined with batch mode.");
    }
    let operations: EditOperation[];
    if (batch) operations = await batchOf(rawPath, rawValue, options);
    else if (builder) operations = [refOperation(rawPath, rawValue, options)];
    else {
      if (rawPath === undefined || !rawPath.trim()) {
        throw setModeError("value/json mode requires <path> when batch mode is not used.");
      }
      if (rawValue === undefined) throw setModeError("value/json mode requires <value>.");
      const strict = Boolean(options.strictJson || options.json);
      const { tokens, quotedNumeric } = parseConfigPathDetailed(rawPath);
      const value = parseSetValue(rawValue, strict);
      operations = [{ inputMode: strict ? "json" : "value", path: tokens, quotedNumeric, value }];
    }
    // `--json` is --strict-json's legacy alias here; only with --dry-run does it shape the output.
    const flags = { ...options, json: Boolean(options.json && options.dryRun) };
    return await runOperations(options, flags, operations, "set", expectation);
  });
}
