// The `openclaw sessions export-trajectory` cases recorded from the reference
// (tools/record_reference_trajectory.ts) and replayed through our CLI
// (tests/integration/sessions_export_trajectory_cli_test.ts); `<workspace>` is the run's workspace.

/** The session the recorded turn wrote. */
export const SESSION_KEY = "agent:main:main";

/** One recorded invocation. */
export interface ExportCase {
  name: string;
  args: string[];
}

const BASE = ["sessions", "export-trajectory", "--session-key", SESSION_KEY, "--workspace", "<workspace>"];

/** The cases, in the order they run (bundles named by `--output` land side by side). */
export const EXPORT_CASES: readonly ExportCase[] = [
  { name: "json", args: [...BASE, "--output", "bug-1", "--json"] },
  { name: "text", args: [...BASE, "--output", "nested/bug-2"] },
  { name: "existing", args: [...BASE, "--output", "bug-1"] },
  { name: "default_name", args: [...BASE, "--json"] },
  { name: "escape", args: [...BASE, "--output", "../escape"] },
  { name: "escape_json", args: [...BASE, "--output", "../../outside", "--json"] },
  { name: "absolute", args: [...BASE, "--output", "/tmp/trajectory-absolute"] },
  { name: "home", args: [...BASE, "--output", "~/bundle"] },
  { name: "dot", args: [...BASE, "--output", "."] },
  {
    name: "unknown_key",
    args: ["sessions", "export-trajectory", "--session-key", "agent:main:nope", "--workspace", "<workspace>"],
  },
  { name: "unknown_key_json", args: ["sessions", "export-trajectory", "--session-key", "agent:main:nope", "--json"] },
  { name: "no_key", args: ["sessions", "export-trajectory", "--workspace", "<workspace>"] },
  { name: "blank_agent", args: [...BASE, "--agent", " "] },
];
