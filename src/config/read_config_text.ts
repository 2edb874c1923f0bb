// Reading a config file's text, on its own so the CLI's lean config read (src/config/target_config.ts)
// and the full load (src/config/load.ts) refuse the same files in the same words.

import { ConfigError } from "./errors.ts";
import { messageOf } from "../log/error_text.ts";

/** Largest config file accepted; a bigger one is almost certainly not a config. */
const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/** The text of the config at `path`; undefined when no file is there. Throws a {@link ConfigError} otherwise. */
export async function readConfigText(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) {
      throw new ConfigError(
        `Cannot read config at ${path}: it is not a regular file. Point OPENCLAW_CONFIG_PATH at a file`,
        {
          file: path,
        },
      );
    }
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ConfigError(`Cannot read config at ${path}: it is ${info.size} bytes, over the 2 MiB limit`, {
        file: path,
      });
    }
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Cannot read config at ${path}: ${messageOf(error)}. Check the file's permissions`, {
      file: path,
      cause: error,
    });
  }
}
