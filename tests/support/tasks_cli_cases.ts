// The `openclaw tasks` commands recorded from the reference CLI (tools/record_tasks_cli.ts) and replayed
// against ours (tests/cli/commands/tasks_*_test.ts), each on the ledger of tasks_ledger_seed.ts.

/** Where the recordings live. */
export const TASKS_CLI_FIXTURE = new URL("../fixtures/tasks_cli/recordings.json", import.meta.url).pathname;

/** One recorded command. */
export interface TasksCliCase {
  name: string;
  args: string[];
  /** The command writes the ledger: the recording keeps the rows after it. */
  writes?: boolean;
  /** The config names a gateway token (a gateway-bound command then gets as far as connecting). */
  token?: boolean;
}

/** What the reference printed for one command. */
export interface TasksCliOutcome {
  args: string[];
  /** The `now` the ledger was seeded with, right before the command ran. */
  seededAt: number;
  code: number;
  stdout: string;
  stderr: string;
  after?: { tasks: Record<string, unknown>[]; flows: Record<string, unknown>[] };
}

/** The fixture file. */
export interface TasksCliRecording {
  reference?: string;
  cases: Record<string, TasksCliOutcome>;
}

const t = (name: string, ...args: string[]): TasksCliCase => ({ name, args: ["tasks", ...args] });
const w = (name: string, ...args: string[]): TasksCliCase => ({ name, args: ["tasks", ...args], writes: true });

/** Every recorded command. */
export const TASKS_CLI_CASES: TasksCliCase[] = [
  t("bare"),
  t("bare-json", "--json"),
  t("list", "list"),
  t("list-json", "list", "--json"),
  t("list-runtime-cron", "list", "--runtime", "cron"),
  t("list-status-running-json", "list", "--status", "running", "--json"),
  t("list-status-blocked", "list", "--status", "blocked"),
  t("list-status-lost", "--status", "lost"),
  t("list-parent-json", "--json", "list", "--runtime", "cli"),
  t("list-runtime-bad", "list", "--runtime", "bogus"),
  t("list-status-bad-json", "list", "--status", "bogus", "--json"),
  t("list-mistyped", "lst"),
  t("show-task-id", "show", "task-cli-failed"),
  t("show-task-id-json", "show", "task-blocked", "--json"),
  t("show-run-id", "show", "run-ok-1"),
  t("show-cron-run-id-json", "show", "cron:job-digest:2", "--json"),
  t("show-session-key", "show", "agent:main:main"),
  t("show-live-json", "show", "task-active-ended", "--json"),
  t("show-missing", "show", "nope"),
  t("show-missing-json", "show", "nope", "--json"),
  t("show-inherited-runtime", "--runtime", "cli", "show", "task-cli-ok"),
  w("cancel-cli-offline", "cancel", "task-cli-live"),
  w("cancel-cron-offline", "cancel", "task-cron-live"),
  w("cancel-terminal", "cancel", "task-cli-ok"),
  t("cancel-missing", "cancel", "nope"),
  w("notify", "notify", "task-cli-ok", "state_changes"),
  t("notify-bad", "notify", "task-cli-ok", "loud"),
  t("notify-missing", "notify", "nope", "silent"),
  t("retry-offline", "retry", "task-cli-ok"),
  t("dismiss-offline", "dismiss", "task-cli-ok", "task-cli-failed"),
  { ...t("cancel-cli-unreachable", "cancel", "task-cli-live"), token: true },
  { ...t("retry-unreachable", "retry", "task-cli-ok"), token: true },
  t("retry-missing", "retry", "nope"),
  t("retry-eleven", "retry", ..."abcdefghijk".split("")),
  t("audit", "audit"),
  t("audit-json", "audit", "--json"),
  t("audit-severity-error", "audit", "--severity", "error"),
  t("audit-code-lost-json", "audit", "--code", "lost", "--json"),
  t("audit-limit", "audit", "--limit", "2"),
  t("audit-limit-bad", "audit", "--limit", "0"),
  t("audit-severity-bad", "audit", "--severity", "fatal"),
  t("audit-code-bad-json", "audit", "--code", "bogus", "--json"),
  t("maintenance", "maintenance"),
  t("maintenance-json", "maintenance", "--json"),
  w("maintenance-apply", "maintenance", "--apply"),
  w("maintenance-apply-json", "maintenance", "--apply", "--json"),
  t("flow-list", "flow", "list"),
  t("flow-list-json", "flow", "list", "--json"),
  t("flow-list-status", "flow", "list", "--status", "running"),
  t("flow-list-status-bad", "flow", "list", "--status", "bogus"),
  t("flow-show", "flow", "show", "flow-waiting"),
  t("flow-show-blocked", "flow", "show", "flow-blocked"),
  t("flow-show-owner-json", "flow", "show", "agent:main:release", "--json"),
  t("flow-show-missing", "flow", "show", "nope"),
  w("flow-cancel", "flow", "cancel", "flow-fresh"),
  w("flow-cancel-with-task", "flow", "cancel", "flow-release"),
  t("flow-cancel-missing", "flow", "cancel", "nope"),
  t("flow-cancel-terminal", "flow", "cancel", "flow-done-old"),
];
