// The error a session delete answers when its archive files could not all be written. Apart from
// transcript_archive.ts, which loads node:zlib and node:crypto and is imported only when a session is
// deleted, so `gateway run` starts without Deno's Node compatibility layer.

/**
 * A delete committed (the session is gone, its transcripts kept in their archive rows) but some archive
 * files could not be written; the reference's words. Retrying the operation publishes them.
 */
export class ArchivesPendingError extends Error {
  constructor(count: number) {
    super(
      `Session deletion committed, but ${count} transcript archive file export(s) remain pending in SQLite; retry the operation to publish them.`,
    );
    this.name = "ArchivesPendingError";
  }
}
