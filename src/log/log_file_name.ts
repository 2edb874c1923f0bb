// Where the gateway's log goes, without LogTape: the CLI names the file (`status`, `logs`) without
// loading the logging stack it does not use.

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The daily log file name for a date: `openclaw[-<profile>]-YYYY-MM-DD.log` (local date). */
export function dailyLogName(date: Date, profile?: string): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return profile ? `openclaw-${profile}-${day}.log` : `openclaw-${day}.log`;
}

/** The file the gateway is writing to now: `file` (`logging.file`), else today's daily file in `directory`. */
export function currentLogFile(
  options: { file?: string | undefined; directory: string; profile?: string | undefined },
): string {
  return options.file ?? `${options.directory}/${dailyLogName(new Date(), options.profile)}`;
}
