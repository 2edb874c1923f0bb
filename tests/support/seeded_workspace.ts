// A workspace as an onboarded user has it, for the benchmarks: the bootstrap files every run reads for its system
// prompt, and skills in the workspace's skills/ folder.

/**
 * How long after seeding the gateway trusts the files' stamps (2 s after the last change, ctime counted in whole
 * seconds; src/state/path_stamp.ts), with a margin: a measurement after it sees the kept files, as a user's run does.
 */
export const SETTLE_MS = 3_500;

/**
 * Seven bootstrap files a run reads (the reference's onboarding writes most), a page of text each, and `skills` skills.
 */
export async function seedWorkspace(workspace: string, skills = 10): Promise<void> {
  const names = ["AGENTS.md", "SOUL.md", "TOOLS.md", "IDENTITY.md", "USER.md", "HEARTBEAT.md", "MEMORY.md"];
  await Deno.mkdir(workspace, { recursive: true });
  for (const name of names) {
    await Deno.writeTextFile(
      `${workspace}/${name}`,
      `# ${name}\n\n${"A line of guidance for the agent.\n".repeat(30)}`,
    );
  }
  for (let i = 0; i < skills; i++) {
    const dir = `${workspace}/skills/skill-${i}`;
    await Deno.mkdir(dir, { recursive: true });
    // Half need a binary every PATH has, half one no PATH has (a skill for a tool not installed).
    const bins = i % 2 === 0 ? ["sh"] : [`openclaw-bench-absent-${i}`];
    const requires = JSON.stringify({ openclaw: { requires: { bins } } });
    await Deno.writeTextFile(
      `${dir}/SKILL.md`,
      `---\nname: skill-${i}\ndescription: Does task ${i} when the user asks for it.\nmetadata: ${requires}\n---\n\nSteps.\n`,
    );
  }
}
