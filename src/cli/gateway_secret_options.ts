// `--token`/`--token-file` and `--password`/`--password-file` of the commands that take a gateway secret
// either inline or from a file (`mcp serve`), read and refused in the reference's words.
import { printError } from "./output.ts";

/** Gateway secret flags as commander parses them. */
export interface GatewaySecretFlags {
  token?: string | undefined;
  tokenFile?: string | undefined;
  password?: string | undefined;
  passwordFile?: string | undefined;
}

/** A secret file the reference refuses: the message is the reason the command prints. */
export class SecretFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretFileError";
  }
}

const MAX_SECRET_FILE_BYTES = 16 * 1024;

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Reads a secret file: a regular file (not a symlink), not empty, trimmed. */
export function readSecretFile(path: string, label: string): string {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      // The reference reports Node's lstat error; the same words keep scripts that grep for them working.
      throw new SecretFileError(
        `Failed to inspect ${label} file at ${path}: Error: ENOENT: no such file or directory, lstat '${path}' | ENOENT`,
      );
    }
    throw new SecretFileError(`Failed to inspect ${label} file at ${path}: ${(error as Error).message}`);
  }
  if (info.isSymlink) throw new SecretFileError(`${label} file at ${path} must not be a symlink.`);
  if (!info.isFile) throw new SecretFileError(`${label} file at ${path} must be a regular file.`);
  if (info.size > MAX_SECRET_FILE_BYTES) {
    throw new SecretFileError(`${label} file at ${path} exceeds ${MAX_SECRET_FILE_BYTES} bytes.`);
  }
  const value = Deno.readTextFileSync(path).trim();
  if (!value) throw new SecretFileError(`${label} file at ${path} is empty.`);
  return value;
}

function secretOf(
  input: { direct: string | undefined; file: string | undefined; flag: string; label: string },
): string | undefined {
  const direct = nonBlank(input.direct);
  const file = nonBlank(input.file);
  if (direct && file) {
    throw new SecretFileError(`Use either ${input.flag} or ${input.flag}-file for ${input.label}.`);
  }
  if (file) return readSecretFile(file, input.label);
  return direct;
}

/**
 * The token and password the flags give, read from their files; refuses a secret given both inline and by
 * file. An inline secret gets the reference's warning on stderr (process listings show it).
 */
export function resolveGatewaySecrets(flags: GatewaySecretFlags): { token?: string; password?: string } {
  const token = secretOf({ direct: flags.token, file: flags.tokenFile, flag: "--token", label: "Gateway token" });
  const password = secretOf({
    direct: flags.password,
    file: flags.passwordFile,
    flag: "--password",
    label: "Gateway password",
  });
  for (const flag of ["--token", "--password"] as const) {
    if (flag === "--token" ? flags.token : flags.password) {
      printError(
        `Warning: ${flag} can be exposed via process listings. Prefer ${flag}-file or environment variables.`,
      );
    }
  }
  return { ...(token !== undefined ? { token } : {}), ...(password !== undefined ? { password } : {}) };
}
