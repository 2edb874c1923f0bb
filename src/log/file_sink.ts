import type { LogRecord, Sink } from "@logtape/logtape";

/** A sink that owns an open file; disposing it closes the file. */
export type FileSink = Sink & Disposable;

/**
 * Opens a log file for appending, private to its owner: created 0600 and, when it already
 * existed with a wider mode (a file from an older version, or made by hand), tightened to 0600.
 * Logs carry session content and client addresses; @logtape/file creates them 0644 under the
 * usual umask and takes no mode, which is why the gateway has its own file sinks.
 */
export function openPrivate(path: string): Deno.FsFile {
  const file = Deno.openSync(path, { create: true, append: true, mode: 0o600 });
  try {
    Deno.chmodSync(path, 0o600);
  } catch {
    // Someone else's file we may append to: its mode is not ours to change.
  }
  return file;
}

function writeLine(file: Deno.FsFile, bytes: Uint8Array): void {
  // Each line is handed to the kernel at once, so `logs.tail` sees it and a crash of the process
  // loses nothing. No fsync per line: it blocked the event loop for 1-2 ms on every logged line
  // (each agent run logs its end), which a streamed /v1/chat/completions answer paid in full.
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/**
 * Appends to `path`; a line that would take it past `maxSize` first shifts `path.N` to
 * `path.N+1` (keeping `maxFiles`) and `path` to `path.1`, then starts a new private file.
 */
export function rotatingFileSink(
  path: string,
  options: { formatter: (record: LogRecord) => string; maxSize: number; maxFiles: number },
): FileSink {
  const encoder = new TextEncoder();
  for (let i = 1; i <= options.maxFiles; i++) {
    try {
      Deno.chmodSync(`${path}.${i}`, 0o600);
    } catch {
      // Not there (or not ours): nothing to tighten.
    }
  }
  let offset = 0;
  try {
    offset = Deno.statSync(path).size;
  } catch {
    // A new file starts empty.
  }
  let file = openPrivate(path);
  const sink = (record: LogRecord) => {
    const bytes = encoder.encode(options.formatter(record));
    if (offset > 0 && offset + bytes.length > options.maxSize) {
      file.close();
      for (let i = options.maxFiles - 1; i > 0; i--) {
        try {
          Deno.renameSync(`${path}.${i}`, `${path}.${i + 1}`);
        } catch {
          // That generation does not exist yet.
        }
      }
      try {
        Deno.renameSync(path, `${path}.1`);
      } catch {
        // Moved away by hand: the new file starts anyway.
      }
      offset = 0;
      file = openPrivate(path);
    }
    writeLine(file, bytes);
    offset += bytes.length;
  };
  return Object.assign(sink, { [Symbol.dispose]: () => file.close() });
}

/**
 * Appends to `directory/filename(now)`, moving to a new private file when the name changes (a
 * new day). At most once per `maxAgeMs` or day it deletes files of ours (named as `filename`
 * names their modification date) older than `maxAgeMs` and tightens the others to 0600.
 */
export function dailyFileSink(
  options: {
    directory: string;
    filename: (date: Date) => string;
    maxAgeMs: number;
    formatter: (record: LogRecord) => string;
  },
): FileSink {
  const encoder = new TextEncoder();
  const { directory, filename } = options;
  const cleanupEveryMs = Math.min(24 * 60 * 60 * 1000, options.maxAgeMs);
  let name = filename(new Date());
  let file = openPrivate(`${directory}/${name}`);
  let lastCleanup: number | undefined;
  const cleanup = () => {
    const now = Date.now();
    if (lastCleanup !== undefined && now - lastCleanup < cleanupEveryMs) return;
    lastCleanup = now;
    try {
      for (const entry of Deno.readDirSync(directory)) {
        if (!entry.isFile || entry.name === name) continue;
        const path = `${directory}/${entry.name}`;
        const mtime = Deno.statSync(path).mtime;
        if (!mtime || filename(mtime) !== entry.name) continue;
        if (now - mtime.getTime() > options.maxAgeMs) Deno.removeSync(path);
        else Deno.chmodSync(path, 0o600);
      }
    } catch {
      // Pruning is housekeeping: a file that vanished or a denied removal never costs a log line.
    }
  };
  const sink = (record: LogRecord) => {
    const current = filename(new Date());
    if (current !== name) {
      file.close();
      name = current;
      file = openPrivate(`${directory}/${name}`);
    }
    writeLine(file, encoder.encode(options.formatter(record)));
    cleanup();
  };
  return Object.assign(sink, { [Symbol.dispose]: () => file.close() });
}
