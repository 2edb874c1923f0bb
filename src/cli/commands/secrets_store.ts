// `openclaw secrets store …`: writes go straight to the shared state database (no gateway), as the
// reference's do. Every refusal is the reference's text and exit code (2 validation, 3 missing `get`, 1
// otherwise); with `--json` a refusal is the CLI error envelope on stdout (tests/fixtures/secrets/).
import type { DatabaseSync } from "node:sqlite";
import { openExistingStateDb, openStateDb } from "../../state/state_db.ts";
import { cliWriteAccess } from "./state_write_access.ts";
import { parseDotEnv } from "../../state/secret_store_dotenv.ts";
import {
  deleteStoreEntry,
  ensureSecretStoreTable,
  listStoreEntries,
  purgeExpiredStoreEntries,
  readStoreValue,
  type StoreKind,
  updateStoreAllowedHosts,
  writeStoreEntry,
} from "../../state/secret_store.ts";
import {
  assertStoreValue,
  detectStoreKind,
  isRedactedValue,
  normalizeAllowedHosts,
  SecretStoreValidationError,
  STORE_NAME_RE,
  STORE_VALUE_MAX_BYTES,
} from "../../state/secret_store_rules.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { stateDirOf } from "./state_dir_of.ts";

/** A store command refusal with the exit code the reference gives it. */
class StoreCliFailure extends Error {
  /** 2 for validation and disclosure refusals, 3 for a missing name, 1 otherwise. */
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

function teamScope(scope: string | undefined): void {
  if (!scope || scope === "team") return;
  if (scope === "me") throw new StoreCliFailure(2, "Identity scope is not supported yet; use --scope team.");
  throw new StoreCliFailure(2, `Invalid scope "${scope}"; only "team" is supported.`);
}

function storeKind(kind: string | undefined, name: string): StoreKind {
  if (!kind) return detectStoreKind(name);
  if (kind === "secret" || kind === "env") return kind;
  throw new StoreCliFailure(2, `Invalid kind "${kind}"; use "secret" or "env".`);
}

function assertName(name: string): void {
  if (!STORE_NAME_RE.test(name)) throw new StoreCliFailure(2, `Name must match ${String(STORE_NAME_RE)}.`);
}

function assertOutputMode(options: { json?: boolean; plain?: boolean }): void {
  if (options.json && options.plain) throw new StoreCliFailure(2, "Choose either --json or --plain, not both.");
}

async function guarded(json: boolean | undefined, body: () => Promise<void> | void): Promise<number> {
  try {
    await body();
    return 0;
  } catch (error) {
    const failure = error instanceof StoreCliFailure
      ? error
      : error instanceof SecretStoreValidationError
      ? new StoreCliFailure(2, error.message)
      : new StoreCliFailure(1, error instanceof Error ? error.message : String(error));
    if (json) printJson({ ok: false, error: { type: "cli_error", message: failure.message } });
    else printError(failure.message);
    return failure.exitCode;
  }
}

function withDb<T>(options: GlobalOptions, write: boolean, body: (db: DatabaseSync | undefined) => T): T {
  const stateDir = stateDirOf(options);
  const db = write ? openStateDb(stateDir, cliWriteAccess()) : openExistingStateDb(stateDir, "read");
  try {
    if (db && write) ensureSecretStoreTable(db);
    return body(db);
  } finally {
    db?.close();
  }
}

async function readInput(valueFile: string | undefined, limit: number): Promise<string> {
  if (valueFile && valueFile !== "-") {
    const file = await openInput(valueFile);
    try {
      const info = await file.stat();
      if (!info.isFile) throw new Error(`Input path is not a regular file: ${valueFile}`);
      if (info.size > limit) {
        throw new SecretStoreValidationError(
          "SECRET_STORE_VALUE_TOO_LARGE",
          `Input file exceeds ${limit} bytes: ${valueFile}`,
        );
      }
      return new TextDecoder().decode(await new Response(file.readable).arrayBuffer());
    } finally {
      try {
        file.close();
      } catch {
        // already closed by reading its stream to the end
      }
    }
  }
  if (valueFile !== "-" && Deno.stdin.isTerminal()) {
    throw new StoreCliFailure(
      2,
      "Pipe the value on stdin or pass --value-file <path>; the no-echo prompt is not supported.",
    );
  }
  const bytes = new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
  if (bytes.length > limit) {
    throw new SecretStoreValidationError("SECRET_STORE_VALUE_TOO_LARGE", `Stdin input exceeds ${limit} bytes.`);
  }
  return new TextDecoder().decode(bytes).replace(/\r?\n$/u, "");
}

/** Opens an input file; a failure reads as Node's `open` error, which the reference prints raw (exit 1). */
async function openInput(path: string): Promise<Deno.FsFile> {
  try {
    return await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    if (error instanceof Deno.errors.PermissionDenied) throw new Error(`EACCES: permission denied, open '${path}'`);
    throw error;
  }
}

function confirmRefused(message: string, yes: boolean | undefined): void {
  if (yes) return;
  // Interactive confirmation is not offered; the reference asks only on a TTY.
  throw new StoreCliFailure(2, `${message} Re-run with --yes in non-interactive mode.`);
}

function entries(n: number): string {
  return `${n} team store entr${n === 1 ? "y" : "ies"}`;
}

/** `secrets store list [--json|--plain]`. */
export function storeList(
  options: GlobalOptions & { scope?: string; json?: boolean; plain?: boolean },
): Promise<number> {
  return guarded(options.json, () => {
    assertOutputMode(options);
    teamScope(options.scope);
    const list = withDb(options, false, (db) => db ? listStoreEntries(db) : []);
    if (options.json) return printJson(list);
    if (options.plain) {
      for (const e of list) {
        printLine(
          [e.name, e.kind, e.kind === "env" ? e.valuePreview ?? "" : "", (e.allowedHosts ?? []).join(",")].join("\t"),
        );
      }
      return;
    }
    if (list.length === 0) return printLine("No team secret store entries.");
    for (const e of list) {
      const value = e.kind === "env" ? ` = ${e.valuePreview ?? ""}` : " (write-only)";
      const hosts = e.kind === "secret" ? `; allowed hosts: ${(e.allowedHosts ?? []).join(", ") || "none"}` : "";
      printLine(`${e.name} [${e.kind}]${value}${hosts}`);
    }
  });
}

/** `secrets store get <NAME> [--json|--plain]`. */
export function storeGet(
  name: string,
  options: GlobalOptions & { scope?: string; json?: boolean; plain?: boolean },
): Promise<number> {
  return guarded(options.json, () => {
    assertOutputMode(options);
    assertName(name);
    teamScope(options.scope);
    const found = withDb(options, false, (db) => {
      const meta = db ? listStoreEntries(db).find((e) => e.name === name) : undefined;
      return meta && { kind: meta.kind, value: readStoreValue(db!, name) };
    });
    if (!found || found.value === undefined) {
      throw new StoreCliFailure(3, `Secret store entry "${name}" was not found.`);
    }
    if (found.kind === "secret") {
      throw new StoreCliFailure(
        2,
        `Secret store entry "${name}" is write-only by design. Reference it from config with a store SecretRef.`,
      );
    }
    if (options.json) printJson({ name, kind: found.kind, value: found.value });
    else printLine(options.plain ? found.value : `${name}=${found.value}`);
  });
}

/** `secrets store set <NAME> …`. */
export function storeSet(
  name: string,
  options: GlobalOptions & {
    value?: string;
    valueFile?: string;
    kind?: string;
    allowHost?: string[];
    clearAllowedHosts?: boolean;
    scope?: string;
    dryRun?: boolean;
  },
): Promise<number> {
  return guarded(false, async () => {
    assertName(name);
    teamScope(options.scope);
    const requested = options.allowHost ?? [];
    const existing = requested.length > 0 || options.clearAllowedHosts
      ? withDb(options, false, (db) => db ? listStoreEntries(db).find((e) => e.name === name) : undefined)
      : undefined;
    const kind = options.kind ? storeKind(options.kind, name) : existing?.kind ?? storeKind(undefined, name);
    if (requested.length > 0 && options.clearAllowedHosts) {
      throw new StoreCliFailure(2, "Use either --allow-host or --clear-allowed-hosts, not both.");
    }
    if (kind === "env" && (requested.length > 0 || options.clearAllowedHosts)) {
      throw new StoreCliFailure(2, "Allowed hosts apply only to secret entries.");
    }
    const hosts = requested.length > 0 ? normalizeAllowedHosts(requested) : options.clearAllowedHosts ? [] : undefined;
    if (options.value !== undefined && options.valueFile !== undefined) {
      throw new StoreCliFailure(2, "Use only one of --value or --value-file.");
    }
    if (kind === "secret" && options.value !== undefined) {
      throw new StoreCliFailure(
        2,
        "--value is refused for secret entries. Use a stdin pipe, --value-file, or the interactive no-echo prompt.",
      );
    }
    if (
      hosts !== undefined && options.value === undefined && options.valueFile === undefined &&
      existing?.kind === "secret"
    ) {
      if (options.dryRun) return printLine(`Would update allowed hosts for ${name}.`);
      withDb(options, true, (db) => updateStoreAllowedHosts(db!, name, hosts, "cli"));
      return printLine(
        hosts.length > 0 ? `Allowed ${name} for ${hosts.join(", ")}.` : `Cleared allowed hosts for ${name}.`,
      );
    }
    const value = options.value ?? await readInput(options.valueFile, STORE_VALUE_MAX_BYTES);
    if (isRedactedValue(value)) {
      const current = withDb(options, false, (db) => db ? readStoreValue(db, name) : undefined);
      if (current !== undefined && !isRedactedValue(current)) {
        return printLine(`Skipped redacted value for ${name}; existing entry unchanged.`);
      }
    }
    assertStoreValue(value, kind, name);
    if (options.dryRun) return printLine(`Would ${kind === "secret" ? "write" : "set"} ${name} (${kind}).`);
    withDb(options, true, (db) => {
      writeStoreEntry(db!, {
        name,
        value,
        kind,
        ...(hosts !== undefined ? { allowedHosts: hosts } : {}),
        updatedBy: "cli",
      });
      purgeExpiredStoreEntries(db!);
    });
    printLine(`Stored ${name} (${kind}).`);
  });
}

/** `secrets store rm <NAME...> [--yes] [--dry-run]`. */
export function storeRm(
  names: string[],
  options: GlobalOptions & { scope?: string; dryRun?: boolean; yes?: boolean },
): Promise<number> {
  return guarded(false, () => {
    teamScope(options.scope);
    for (const name of names) assertName(name);
    if (options.dryRun) return printLine(`Would remove ${entries(names.length)}.`);
    confirmRefused(`Remove ${entries(names.length)}?`, options.yes);
    withDb(options, true, (db) => {
      for (const name of names) deleteStoreEntry(db!, name);
      purgeExpiredStoreEntries(db!);
    });
    printLine(`Removed ${entries(names.length)}.`);
  });
}

/** `secrets store import [--from file] [--kind k] [--yes] [--dry-run]`. */
export function storeImport(
  options: GlobalOptions & { from?: string; kind?: string; scope?: string; dryRun?: boolean; yes?: boolean },
): Promise<number> {
  return guarded(false, async () => {
    teamScope(options.scope);
    if (!options.from && Deno.stdin.isTerminal()) {
      throw new StoreCliFailure(2, "Import requires --from <file> or piped stdin.");
    }
    const parsed = Object.entries(parseDotEnv(await readInput(options.from ?? "-", 16_777_216)));
    if (parsed.length === 0) throw new StoreCliFailure(2, "Import input contains no dotenv assignments.");
    const normalized = parsed.map(([name, value]) => {
      assertName(name);
      return { name, value, kind: storeKind(options.kind, name) };
    });
    const writable = normalized.filter((entry) => {
      if (isRedactedValue(entry.value)) {
        const current = withDb(options, false, (db) => db ? readStoreValue(db, entry.name) : undefined);
        if (current !== undefined && !isRedactedValue(current)) {
          printLine(`Skipped redacted value for ${entry.name}; existing entry unchanged.`);
          return false;
        }
      }
      assertStoreValue(entry.value, entry.kind, entry.name);
      return true;
    });
    if (options.dryRun) return printLine(`Would import ${writable.length} team store entries.`);
    if (writable.length === 0) return;
    confirmRefused(`Import ${writable.length} team store entries?`, options.yes);
    withDb(options, true, (db) => {
      for (const entry of writable) writeStoreEntry(db!, { ...entry, updatedBy: "cli" });
      purgeExpiredStoreEntries(db!);
    });
    printLine(`Imported ${writable.length} team store entries.`);
  });
}
