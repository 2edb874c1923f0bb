// The reference's built-in tool table: the sections its catalog shows, each tool's one-line summary
// and the profiles (`tools.profile`) that include it. Groups (`group:<section>`, `group:openclaw`)
// and profiles are derived from it; tool policy and `tools.catalog` read it. Facts about the
// reference's names, kept as data: the tools themselves are whatever families this gateway has.

/** A profile `tools.profile` may name. */
export type ToolProfileId = "minimal" | "coding" | "messaging" | "full";

/** The profiles in the order clients list them, with their labels. */
export const TOOL_PROFILES: readonly { id: ToolProfileId; label: string }[] = [
  { id: "minimal", label: "Minimal" },
  { id: "coding", label: "Coding" },
  { id: "messaging", label: "Messaging" },
  { id: "full", label: "Full" },
];

/** One built-in tool: id, summary, the profiles including it, and whether catalogs list it only where it runs. */
type CoreTool = readonly [id: string, summary: string, profiles: readonly ToolProfileId[], hidden?: "hidden"];

/** A section of the catalog (`group:<id>`). */
export interface ToolSection {
  id: string;
  label: string;
  tools: readonly CoreTool[];
}

/** The built-in tools by section, in the reference's order. */
export const CORE_TOOL_SECTIONS: readonly ToolSection[] = [
  {
    id: "fs",
    label: "Files",
    tools: [
      ["ls", "List directory entries", ["coding"]],
      ["read", "Read file contents", ["coding"]],
      ["write", "Create or overwrite files", ["coding"]],
      ["edit", "Make precise edits", ["coding"]],
      ["apply_patch", "Patch files", ["coding"]],
    ],
  },
  {
    id: "runtime",
    label: "Runtime",
    tools: [
      ["exec", "Run shell now.", ["coding"]],
      ["process", "Inspect/control exec sessions.", ["coding"]],
      ["code_execution", "Run sandboxed remote analysis", ["coding"]],
      ["secrets", "Request and manage write-only credentials", ["coding", "messaging"]],
    ],
  },
  {
    id: "web",
    label: "Web",
    tools: [
      ["web_search", "Search the web", ["coding"]],
      ["web_fetch", "Fetch web content", ["coding"]],
      ["x_search", "Search X posts", ["coding"]],
    ],
  },
  {
    id: "memory",
    label: "Memory",
    tools: [
      ["memory_search", "Semantic search", ["coding"]],
      ["memory_get", "Read memory files", ["coding"]],
    ],
  },
  {
    id: "sessions",
    label: "Sessions",
    tools: [
      ["sessions", "Session settings: label, pin, archive, groups", ["coding", "messaging"]],
      ["sessions_list", "List visible sessions; filters/previews.", ["coding", "messaging"]],
      ["sessions_history", "Read sanitized session history.", ["coding", "messaging"]],
      ["sessions_search", "Search past session transcripts.", ["coding", "messaging"]],
      ["conversations_list", "List exact external conversation addresses", ["coding", "messaging"]],
      ["conversations_send", "Send to an exact external conversation", ["coding", "messaging"]],
      ["conversations_turn", "Send and wait for a correlated external reply", ["coding", "messaging"]],
      ["sessions_send", "Run same-Gateway session/agent.", ["coding", "messaging"]],
      ["sessions_spawn", "Spawn hidden subagent (ephemeral) or visible work session (durable).", [
        "coding",
        "messaging",
      ]],
      ["sessions_yield", "End turn to receive sub-agent results", ["coding", "messaging"]],
      ["subagents", "Background work: subagents, media gen, automation runs. list/cancel.", ["coding", "messaging"]],
      ["session_status", "Show session status/model/usage.", ["minimal", "coding", "messaging"]],
      ["suggest_task", "Suggest follow-up work for operator approval.", ["coding"]],
      ["dismiss_task", "Withdraw a pending task suggestion.", ["coding"]],
      // Listed by the reference only where its feature runs; members of group:sessions all the same.
      ["github_identity_status", "Inspect the effective GitHub identity and credential health", ["coding"], "hidden"],
      [
        "github_publish",
        "Publish the reconciled session worktree as a draft GitHub pull request",
        ["coding"],
        "hidden",
      ],
      ["agents_wait", "Wait for collector subagent runs", ["coding"], "hidden"],
    ],
  },
  {
    id: "ui",
    label: "UI",
    tools: [
      ["browser", "Control web browser", []],
      ["screen", "Drive operator web UI", ["coding"]],
      ["theme", "List, select, and create appearance themes", ["coding", "messaging"]],
      ["dashboard", "Read and arrange the session dashboard", ["coding"]],
      ["terminal", "Use shared operator terminals with policy-governed input", ["coding"]],
      ["portal", "Expose local web apps through the gateway", ["coding"]],
      ["canvas", "Control node Canvas surfaces when the Canvas plugin is enabled", []],
      ["show_widget", "Show an interactive widget on chat or an auto-fitting dashboard", []],
    ],
  },
  {
    id: "messaging",
    label: "Messaging",
    tools: [
      ["message", "Send messages", ["messaging"]],
    ],
  },
  {
    id: "automation",
    label: "Automation",
    tools: [
      ["heartbeat_respond", "Accept heartbeat outcomes for post-turn handling", []],
      ["automations", "Schedule reminders, automations, wake events.", ["coding"]],
      ["gateway", "Update OpenClaw; read Gateway config/schema when permitted", ["minimal", "coding", "messaging"]],
      ["plugins", "Manage and reload plugins", ["coding"]],
      ["openclaw", "Delegate OpenClaw setup and repair", []],
    ],
  },
  {
    id: "nodes",
    label: "Nodes",
    tools: [
      ["nodes", "Nodes + devices", []],
      ["computer", "Control the Gateway desktop or a paired computer", []],
      ["mobile_ui", "Observe and control a paired Android app", []],
    ],
  },
  {
    id: "agents",
    label: "Agents",
    tools: [
      ["agents_list", "List agents", []],
      ["get_goal", "Get current thread goal", ["coding"]],
      ["create_goal", "Create a thread goal", ["coding"]],
      ["update_goal", "Complete or block a thread goal", ["coding"]],
      ["progress_card", "Maintain the session progress card", ["coding"]],
      ["ask_user", "Ask the user and wait for an answer.", ["coding", "messaging"]],
      [
        "skill_workshop",
        "Author reusable skills under the available tool's publication and review policy. Read one complete artifact when it fits the model budget.",
        ["coding"],
      ],
    ],
  },
  {
    id: "media",
    label: "Media",
    tools: [
      ["view_image", "Image understanding", ["coding"]],
      ["image_generate", "Image generation", ["coding"]],
      ["music_generate", "Music generation", ["coding"]],
      ["video_generate", "Video generation", ["coding"]],
      ["tts", "Text-to-speech conversion", []],
      ["pdf", "PDF reading and extraction", []],
    ],
  },
];

/** Tools `group:openclaw` leaves out: the file, shell and canvas tools. */
const NOT_OPENCLAW = new Set(["ls", "read", "write", "edit", "apply_patch", "exec", "process", "canvas"]);

/** The built-in tool with this id, with its section. */
export function coreTool(
  id: string,
): { section: ToolSection; summary: string; profiles: readonly ToolProfileId[] } | undefined {
  for (const section of CORE_TOOL_SECTIONS) {
    const tool = section.tools.find(([toolId]) => toolId === id);
    if (tool) return { section, summary: tool[1], profiles: tool[2] };
  }
  return undefined;
}

/** The tool ids a `group:` name stands for; undefined for a group this table does not know. */
export function groupMembers(group: string): readonly string[] | undefined {
  if (group === "group:openclaw") {
    return CORE_TOOL_SECTIONS.flatMap((s) => s.tools.map(([id]) => id)).filter((id) => !NOT_OPENCLAW.has(id));
  }
  const section = CORE_TOOL_SECTIONS.find((s) => `group:${s.id}` === group);
  return section?.tools.map(([id]) => id);
}

/** The allowlist a profile stands for: its tools, plus configured MCP servers (`bundle-mcp`) for coding and messaging. */
export function profileAllow(profile: ToolProfileId): readonly string[] {
  if (profile === "full") return ["*"];
  const ids = CORE_TOOL_SECTIONS.flatMap((s) => s.tools.filter(([, , p]) => p.includes(profile)).map(([id]) => id));
  return profile === "minimal" ? ids : [...ids, "bundle-mcp"];
}
