// `openclaw channels add|remove`: edit one channel account in the config file, with the
// reference's flags, messages and config shapes. The running gateway picks the change up through
// its config watcher, which starts or stops the account.
import {
  addChannelAccount,
  CHANNEL_ADD_FIELDS,
  CHANNEL_ENV_VARS,
  CHANNEL_LABELS,
  ChannelEditError,
  DEFAULT_ACCOUNT_ID,
  deleteChannelAccount,
  fieldsFromFlags,
  parseAccountId,
  parseChannelId,
  setChannelAccountEnabled,
} from "../../config/channel_edit.ts";
import { json5CommentsWarning } from "../../config/json5_comments.ts";
import { type ConfigSnapshot, loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { writeConfigFile } from "../../config/write.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printLine } from "../output.ts";

/** Flags of `channels add` (the shared envelope plus every channel's own flags; each channel accepts only its own). */
export interface ChannelsAddOptions extends GlobalOptions {
  channel?: string;
  account?: string;
  name?: string;
  agent?: string;
  useEnv?: boolean;
  [flag: string]: unknown;
}

/** Flags of `channels remove`. */
export interface ChannelsRemoveOptions extends GlobalOptions {
  channel?: string;
  account?: string;
  agent?: string;
  delete?: boolean;
}

/** Every channel-owned flag name `channels add` registers (camelCase), for "does this channel take it". */
const SHARED_FLAGS = new Set(["channel", "account", "name", "agent", "dev", "profile", "logLevel"]);

function flagName(camel: string): string {
  return `--${camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

async function load(options: GlobalOptions): Promise<{ snapshot: ConfigSnapshot; env: EnvSnapshot }> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  return { snapshot: await loadConfig(paths.configPath, env), env };
}

/** As the reference, a write that drops the file's JSON5 comments says so on stderr first. */
function warnCommentsDropped(snapshot: ConfigSnapshot): void {
  const warning = json5CommentsWarning(snapshot.source, snapshot.path);
  if (warning) printError(warning);
}

function refused(error: unknown): number {
  if (!(error instanceof ChannelEditError)) throw error;
  printError(error.message);
  return 1;
}

/** `openclaw channels add [channel] --channel <id> [--account <id>] [--name <n>] [channel flags]`. */
export async function channelsAdd(positional: string | undefined, options: ChannelsAddOptions): Promise<number> {
  try {
    const raw = options.channel ?? positional;
    if (raw === undefined) {
      printError(
        "Interactive channel setup requires a TTY. Use `openclaw channels add --channel <id> --use-env` or pass the channel's credential flags for non-interactive setup.",
      );
      return 1;
    }
    const channel = parseChannelId(raw);
    const accountId = parseAccountId(options.account);
    const own = CHANNEL_ADD_FIELDS[channel] ?? {};
    const given = Object.entries(options).filter(([key, value]) => value !== undefined && !SHARED_FLAGS.has(key));
    for (const [key] of given) {
      if (key === "useEnv" ? !CHANNEL_ENV_VARS[channel] : !Object.hasOwn(own, key)) {
        printError(`OpenClaw does not recognize option "${flagName(key)}".`);
        printError("Try: openclaw channels add --help");
        return 1;
      }
    }
    const fields = fieldsFromFlags(channel, options);
    if (options.useEnv) {
      if (accountId !== DEFAULT_ACCOUNT_ID) {
        printError(`${CHANNEL_ENV_VARS[channel]?.join(" / ")} can only be used for the default account.`);
        return 1;
      }
      const missing = (CHANNEL_ENV_VARS[channel] ?? []).filter((name) => !Deno.env.get(name));
      if (missing.length) {
        printError(`--use-env needs ${missing.join(", ")} in the environment; set it or pass the token flags.`);
        return 1;
      }
    } else if (given.length === 0 && options.name === undefined && options.account === undefined) {
      printError(
        "Interactive channel setup requires a TTY. Use `openclaw channels add --channel <id> --use-env` or pass the channel's credential flags for non-interactive setup.",
      );
      return 1;
    }
    const { snapshot } = await load(options);
    const next = addChannelAccount(snapshot.authored, { channel, accountId, name: options.name, fields });
    warnCommentsDropped(snapshot);
    await writeConfigFile(snapshot.path, next, { expectedHash: snapshot.hash });
    printLine(`Added ${CHANNEL_LABELS[channel]} account "${accountId}".`);
    return 0;
  } catch (error) {
    return refused(error);
  }
}

function confirmDisable(label: string, accountId: string): boolean {
  // Without a terminal there is no one to ask: the reference's prompt cancels, and so does this.
  if (!Deno.stdin.isTerminal()) {
    printError("wizard cancelled");
    return false;
  }
  const answer = prompt(`Disable ${label} account "${accountId}"? (keeps config) [Y/n]`);
  return answer === null || answer.trim() === "" || /^y(es)?$/i.test(answer.trim());
}

/** `openclaw channels remove --channel <id> [--account <id>] [--delete]`: disable (asks first) or delete. */
export async function channelsRemove(options: ChannelsRemoveOptions): Promise<number> {
  try {
    if (!options.channel?.trim()) {
      printError(
        "Missing channel. Use openclaw channels remove --channel <name> or run openclaw channels status to inspect configured channels.",
      );
      return 1;
    }
    const channel = parseChannelId(options.channel);
    const accountId = parseAccountId(options.account);
    const label = CHANNEL_LABELS[channel] ?? channel;
    const { snapshot } = await load(options);
    const requested = options.account !== undefined;
    if (!options.delete) {
      // Checked before asking, so a typo is refused without a question.
      setChannelAccountEnabled(snapshot.authored, { channel, accountId, enabled: false, requested });
      if (!confirmDisable(label, accountId)) return 1;
    }
    const next = options.delete
      ? deleteChannelAccount(snapshot.authored, { channel, accountId, requested })
      : setChannelAccountEnabled(snapshot.authored, { channel, accountId, enabled: false, requested });
    warnCommentsDropped(snapshot);
    await writeConfigFile(snapshot.path, next, { expectedHash: snapshot.hash });
    printLine(`${options.delete ? "Deleted" : "Disabled"} ${label} account "${accountId}".`);
    return 0;
  } catch (error) {
    return refused(error);
  }
}
