/**
 * Why a start-up was refused; the CLI edge maps it to an exit code (`cli/exit.ts`). `config`
 * (config, mode, auth) and `locked` (another gateway owns the state dir) exit 78 (EX_CONFIG), so a
 * supervisor with `RestartPreventExitStatus=78` stops retrying what only an operator can fix.
 * `conflict` (the port is taken or cannot be bound) is transient, as in OpenClaw: it exits 1 so
 * the unit retries and comes up once the port clears (decision 0001, amended). `runtime` is the
 * reference's generic start failure (its runtime had started): exit 1 as it does.
 */
export type StartupErrorKind = "config" | "locked" | "conflict" | "runtime";

/** A refusal to start, carrying OpenClaw's failure signature verbatim in its message. */
export class StartupError extends Error {
  /** Which family of refusal this is. */
  readonly kind: StartupErrorKind;
  /** Lines the reference prints before its `Gateway failed to start:` line for this refusal (usually none). */
  readonly preface: readonly string[];
  /**
   * The reference prints this refusal alone, not after `Gateway failed to start:`: its `gateway run` refuses
   * a config not for a local gateway, and a missing secret, before it starts the gateway.
   */
  readonly standalone: boolean;

  constructor(
    message: string,
    options: { kind: StartupErrorKind; cause?: unknown; preface?: readonly string[]; standalone?: boolean },
  ) {
    super(message, { cause: options.cause });
    this.name = "StartupError";
    this.kind = options.kind;
    this.preface = options.preface ?? [];
    this.standalone = options.standalone ?? false;
  }
}
