// The reference's bundled hooks, embedded: the front matter of each HOOK.md exactly as OpenClaw
// 2026.9.6 ships it (dist/bundled/<name>/HOOK.md), so discovery reads them through the same parser
// as a hook on disk, and the binary never looks for them beside itself or in the working directory.
// Their handlers are built into the gateway and named, not loaded from a path.

/** One bundled hook: its name (also its directory name in the reference) and its HOOK.md front matter. */
export interface BundledHook {
  name: string;
  /** The HOOK.md text up to and including the closing `---` line. */
  hookMd: string;
}

/** The five bundled hooks, in the reference's directory order. */
export const BUNDLED_HOOKS: readonly BundledHook[] = [
  {
    name: "boot-md",
    hookMd: `---
name: boot-md
description: "Run BOOT.md on gateway startup"
homepage: https://docs.openclaw.ai/automation/hooks#boot-md
metadata:
  {
    "openclaw":
      {
        "emoji": "🚀",
        "events": ["gateway:startup"],
        "requires": { "config": ["workspace.dir"] },
        "install": [{ "id": "bundled", "kind": "bundled", "label": "Bundled with OpenClaw" }],
      },
  }
---
`,
  },
  {
    name: "bootstrap-extra-files",
    hookMd: `---
name: bootstrap-extra-files
description: "Inject additional workspace bootstrap files via glob/path patterns"
homepage: https://docs.openclaw.ai/automation/hooks#bootstrap-extra-files
metadata:
  {
    "openclaw":
      {
        "emoji": "📎",
        "events": ["agent:bootstrap"],
        "requires": { "config": ["workspace.dir"] },
        "install": [{ "id": "bundled", "kind": "bundled", "label": "Bundled with OpenClaw" }],
      },
  }
---
`,
  },
  {
    name: "command-logger",
    hookMd: `---
name: command-logger
description: "Log emitted command events to a centralized audit file"
homepage: https://docs.openclaw.ai/automation/hooks#command-logger
metadata:
  {
    "openclaw":
      {
        "emoji": "📝",
        "events": ["command"],
        "install": [{ "id": "bundled", "kind": "bundled", "label": "Bundled with OpenClaw" }],
      },
  }
---
`,
  },
  {
    name: "compaction-notifier",
    hookMd: `---
name: compaction-notifier
description: "Send visible chat notices when session compaction starts and finishes."
metadata:
  {
    "openclaw":
      {
        "emoji": "🧹",
        "events": ["session:compact:before", "session:compact:after"],
        "always": true,
      },
  }
---
`,
  },
  {
    name: "session-memory",
    hookMd: `---
name: session-memory
description: "Save session context to memory on manual or automatic reset"
homepage: https://docs.openclaw.ai/automation/hooks#session-memory
metadata:
  {
    "openclaw":
      {
        "emoji": "💾",
        "events": ["command:new", "command:reset", "session:auto-reset"],
        "requires": { "config": ["workspace.dir"] },
        "install": [{ "id": "bundled", "kind": "bundled", "label": "Bundled with OpenClaw" }],
      },
  }
---
`,
  },
];
