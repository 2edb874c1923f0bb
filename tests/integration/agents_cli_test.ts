// `openclaw agents list|bindings|bind|unbind|add|set-identity|delete`, run as the binary runs,
// step by step against the reference OpenClaw 2026.9.6's recorded session on the same kind of
// home (tests/fixtures/agents/reference_cli.json); a running gateway picks up an agent our CLI
// adds; the reference's CLI reads what ours wrote, and ours reads what the reference's wrote.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import {
  ensureFreshBundle,
  programArgs,
  runOpenclaw,
  startGateway,
  type TempHome,
  tempHome,
} from "../support/spawn_gateway.ts";

const FIXTURE = new URL("../fixtures/agents/reference_cli.json", import.meta.url);

interface Step {
  name: string;
  args?: string[];
  code?: number;
  stdout?: string;
  stderr?: string;
  write?: string;
  text?: string;
  /** The config file after this step, as the reference left it (its `meta` stamp aside). */
  config?: unknown;
}

/** Recorded output with this run's home put in and the reference's wall-clock stamps masked. */
function normalized(text: string, home: string): string {
  return text.replaceAll(home, "$HOME").replace(/"createdAt": \d+/g, '"createdAt": 0').trim();
}

const cliIn = (home: TempHome, env: Record<string, string> = {}) => (...args: string[]) =>
  runOpenclaw(["agents", ...args], { home: home.home, env: { OPENCLAW_STATE_DIR: home.stateDir, ...env } });

Deno.test("each recorded `openclaw agents` step prints, exits and leaves the config as the reference's did", async () => {
  const fixture = JSON.parse(await Deno.readTextFile(FIXTURE)) as { initialConfig: string; steps: Step[] };
  const home = await tempHome(fixture.initialConfig);
  const cli = cliIn(home);
  try {
    for (const step of fixture.steps) {
      if (step.write !== undefined) {
        await Deno.writeTextFile(`${home.home}/${step.write}`, step.text!);
        continue;
      }
      const args = step.args!.slice(1).map((arg) => arg.replaceAll("$HOME", home.home));
      const result = await cli(...args);
      assert.deepEqual(
        {
          code: result.code,
          stdout: normalized(result.stdout, home.home),
          stderr: normalized(result.stderr, home.home),
        },
        { code: step.code, stdout: normalized(step.stdout!, "\0"), stderr: normalized(step.stderr!, "\0") },
        step.name,
      );
      if (step.config !== undefined) {
        const written = JSON.parse(await Deno.readTextFile(home.configPath));
        assert.deepEqual(
          JSON.parse(normalized(JSON.stringify(written), home.home)),
          step.config,
          `${step.name}: config`,
        );
      }
    }
    assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
    assert.ok((await Deno.stat(`${home.configPath}.bak`)).isFile);
    // The deleted agents' workspaces went to the Trash whole: seeded files, git repository and all.
    const trashed: string[] = [];
    for await (const container of Deno.readDir(`${home.home}/.Trash`)) {
      for await (const entry of Deno.readDir(`${home.home}/.Trash/${container.name}`)) trashed.push(entry.name);
    }
    assert.deepEqual(trashed.sort(), ["sessions", "sessions", "ws-ops", "ws-work"]);
    await Deno.stat(`${home.home}/.Trash`).then((info) => assert.equal(info.mode! & 0o777, 0o700));
  } finally {
    await home.cleanup();
  }
});

Deno.test("agents writes are refused on a read-only config and leave the file alone", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  try {
    const before = await Deno.readTextFile(home.configPath);
    const refused = await cliIn(home, { OPENCLAW_CONFIG_READONLY: "1" })("bind", "--bind", "irc", "--json");
    assert.equal(refused.code, 1);
    assert.equal(JSON.parse(refused.stdout).error.type, "cli_error");
    assert.match(refused.stderr, /^Config is externally managed \(`OPENCLAW_CONFIG_READONLY=1`\)/);
    assert.equal(await Deno.readTextFile(home.configPath), before);
    const readOnlyAdd = await cliIn(home, { OPENCLAW_CONFIG_READONLY: "1" })(
      "add",
      "x",
      "--non-interactive",
      "--workspace",
      `${home.home}/ws`,
    );
    assert.equal(readOnlyAdd.code, 1);
    assert.match(readOnlyAdd.stderr, /^Config is externally managed/);
    // The reference leaves nothing behind on this refusal: no workspace, no sessions dir.
    await assert.rejects(Deno.lstat(`${home.home}/ws`), Deno.errors.NotFound);
    await assert.rejects(Deno.lstat(`${home.stateDir}/agents`), Deno.errors.NotFound);
    const add = await cliIn(home)("add", "x");
    assert.deepEqual(add, {
      code: 1,
      stdout: "",
      stderr:
        "Agent creation needs an interactive TTY. Use `openclaw agents add <id> --non-interactive --workspace <dir>` for automation.",
    });
  } finally {
    await home.cleanup();
  }
});

Deno.test("a running gateway lists an agent our CLI adds, by hot reload", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: "agents-cli-token" } } });
  const { proc, port } = await startGateway({ home: home.home, env: { OPENCLAW_STATE_DIR: home.stateDir } });
  try {
    const added = await cliIn(home)("add", "work", "--workspace", `${home.home}/ws-work`, "--json");
    assert.equal(added.code, 0, added.stderr);
    await proc.waitForLine(/config hot reload applied \(.*agents/);
    const listed = await runOpenclaw(
      ["gateway", "call", "agents.list", "--json", "--port", String(port), "--token", "agents-cli-token"],
      { home: home.home, env: { OPENCLAW_STATE_DIR: home.stateDir } },
    );
    assert.equal(listed.code, 0, listed.stderr);
    const agents = JSON.parse(listed.stdout).agents as { id: string; workspace: string }[];
    assert.deepEqual(agents.map((agent) => [agent.id, agent.workspace]), [
      ["main", `${home.stateDir}/workspace`],
      ["work", `${home.home}/ws-work`],
    ]);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("the reference's CLI reads what ours wrote; ours reads what the reference's `agents add` wrote", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  const cli = cliIn(home);
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  try {
    assert.equal((await cli("add", "Work Bot", "--workspace", `${home.home}/ws`, "--bind", "irc:libera")).code, 0);
    await Deno.writeTextFile(`${home.home}/ws/IDENTITY.md`, "- **Name:** Wendy\n- **Emoji:** 🛠\n");
    assert.equal((await cli("set-identity", "--workspace", `${home.home}/ws`, "--from-identity")).code, 0);
    const theirs = await runPeer(["agents", "list", "--json"], where, { npm_config_offline: "true" });
    assert.equal(theirs.code, 0, theirs.stderr);
    const ours = JSON.parse((await cli("list", "--json")).stdout);
    assert.deepEqual(JSON.parse(theirs.stdout), ours);
    assert.deepEqual(ours[1].identityName, "Wendy");

    const peerAdd = await runPeer(
      ["agents", "add", "ops", "--workspace", `${home.home}/ws-ops`, "--non-interactive", "--json"],
      where,
      { npm_config_offline: "true" },
    );
    assert.equal(peerAdd.code, 0, peerAdd.stderr);
    const after = JSON.parse((await cli("list", "--json")).stdout) as { id: string; workspace: string }[];
    assert.deepEqual(after.map((agent) => [agent.id, agent.workspace]), [
      ["main", `${home.stateDir}/workspace`],
      ["work-bot", `${home.home}/ws`],
      ["ops", `${home.home}/ws-ops`],
    ]);
    const bindings = JSON.parse((await cli("bindings", "--json")).stdout);
    assert.deepEqual(bindings.map((b: { description: string }) => b.description), ["irc accountId=libera"]);
  } finally {
    await home.cleanup();
  }
});

/** Whether util-linux `script` is here to give the CLI a terminal. */
const HAS_SCRIPT = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();

/** Runs `openclaw agents <args>` on a pseudo-terminal (util-linux `script`), typing `input`. */
async function onTerminal(home: TempHome, args: string[], input: string): Promise<{ code: number; output: string }> {
  ensureFreshBundle();
  const quote = (arg: string) => `'${arg.replaceAll("'", `'"'"'`)}'`;
  const line = [Deno.execPath(), ...programArgs(), "agents", ...args].map(quote).join(" ");
  const child = new Deno.Command("script", {
    args: ["-qec", line, "/dev/null"],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home.home,
      OPENCLAW_STATE_DIR: home.stateDir,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`,
      NO_COLOR: "1",
    },
    clearEnv: true,
    cwd: home.home,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const out = await child.output();
  return { code: out.code, output: new TextDecoder().decode(out.stdout) };
}

Deno.test({
  name: "on a terminal: add asks the name and workspace, delete asks before deleting (and keeps all on no)",
  ignore: !HAS_SCRIPT,
  fn: async () => {
    const home = await tempHome({ gateway: { mode: "local" } });
    try {
      const added = await onTerminal(home, ["add"], "Tty Bot\n");
      assert.equal(added.code, 0, added.output);
      assert.match(added.output, /Agent name: /);
      assert.match(added.output, /Agent: tty-bot/);
      const list = JSON.parse((await cliIn(home)("list", "--json")).stdout) as { id: string; workspace: string }[];
      assert.deepEqual(list.map((agent) => [agent.id, agent.workspace]), [
        ["main", `${home.stateDir}/workspace`],
        ["tty-bot", `${home.stateDir}/workspace-tty-bot`],
      ]);
      const kept = await onTerminal(home, ["delete", "tty-bot"], "n\n");
      assert.match(kept.output, /Delete agent "tty-bot" and prune workspace\/state\? \[y\/N\]/);
      assert.match(kept.output, /Cancelled\./);
      assert.ok((await Deno.stat(`${home.stateDir}/workspace-tty-bot`)).isDirectory);
      const deleted = await onTerminal(home, ["delete", "tty-bot"], "y\n");
      assert.equal(deleted.code, 0, deleted.output);
      assert.match(deleted.output, /Deleted agent: tty-bot/);
      await assert.rejects(Deno.stat(`${home.stateDir}/workspace-tty-bot`), Deno.errors.NotFound);
    } finally {
      await home.cleanup();
    }
  },
});

Deno.test("an invalid config is refused before any agents command, in the reference's two forms (recorded)", async () => {
  const home = await tempHome('{gateway:{mode:"local", port: "abc"}}\n');
  try {
    const issue = "openclaw.json:1 — gateway.port: Invalid input: expected number, received string";
    assert.deepEqual(await cliIn(home)("list"), {
      code: 1,
      stdout: "",
      stderr: [
        `OpenClaw config is invalid: ${home.configPath}`,
        `- ${issue}`,
        "Fix: openclaw doctor --fix",
        "Inspect: openclaw config validate",
      ].join("\n"),
    });
    const json = await cliIn(home)("bind", "--bind", "irc", "--json");
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      error: { type: "cli_error", message: "OpenClaw config is invalid: ~/.openclaw/openclaw.json" },
      issues: [{ path: "gateway.port", message: "Invalid input: expected number, received string" }],
    });
    assert.equal(
      json.stderr.split("\n").slice(0, 4).join("\n"),
      `OpenClaw config is invalid\nFile: ~/.openclaw/openclaw.json\nProblem:\n  - ${issue}`,
    );
  } finally {
    await home.cleanup();
  }
});

Deno.test("agents delete keeps a workspace that holds a surviving agent's state dir (the state dir itself), as the reference", async () => {
  const home = await tempHome();
  try {
    await Deno.mkdir(`${home.home}/wsmain`, { recursive: true });
    await Deno.mkdir(`${home.stateDir}/agents/main/agent`, { recursive: true });
    await Deno.mkdir(`${home.stateDir}/agents/x/agent`, { recursive: true });
    const list = [{ id: "main", workspace: `${home.home}/wsmain` }, { id: "x", workspace: home.stateDir }];
    await Deno.writeTextFile(
      home.configPath,
      JSON.stringify({ agents: { ownership: "explicit", defaults: { systemAgent: { agentId: "main" } }, list } }),
    );
    const deleted = await cliIn(home)("delete", "x", "--force");
    assert.equal(deleted.code, 0, deleted.stderr);
    // Recorded from the reference on the same home: the workspace is retained, only x's own dir moves.
    assert.match(deleted.stdout, /Skipped workspace removal \(shared with other agents\): .*\/\.openclaw\n/);
    assert.match(deleted.stdout, /Moved to Trash: ~\/\.openclaw\/agents\/x\/agent\n/);
    assert.doesNotMatch(deleted.stdout, /Moved to Trash: ~\/\.openclaw\n/);
    await Deno.stat(`${home.stateDir}/agents/main/agent`);
    const config = JSON.parse(await Deno.readTextFile(home.configPath));
    assert.deepEqual(Object.keys(config.agents.entries), ["main"]);
  } finally {
    await home.cleanup();
  }
});
