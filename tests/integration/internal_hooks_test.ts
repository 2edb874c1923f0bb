// Internal hooks in the running gateway (`hooks.internal`): the bundled command-logger and session-memory
// answer `/new` sent over `chat.send`, and a workspace hook's own handler module runs on `gateway:startup`.
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "internal-hooks-token-0123456789ab";
const KEY = "agent:main:main";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

type Payload = Record<string, unknown>;
const finalOf = (session: ReferenceSession, runId: string) =>
  session.events.map((e) => e.payload as Payload).find((p) => p.runId === runId && p.state === "final");

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

Deno.test("command-logger and session-memory run on /new over chat.send", async () => {
  const upstream = startFakeUpstream();
  const configured = await tempHome();
  const ws = `${configured.home}/workspace-x`;
  await Deno.mkdir(configured.stateDir, { recursive: true });
  await Deno.writeTextFile(
    configured.configPath,
    JSON.stringify({
      gateway: { mode: "local", auth: { token: TOKEN } },
      models: {
        providers: { fake: { baseUrl: upstream.url, models: [{ id: "m1", name: "m1", contextWindow: 32000 }] } },
      },
      agents: { defaults: { model: { primary: "fake/m1" }, workspace: ws, userTimezone: "UTC" } },
      hooks: {
        internal: {
          enabled: true,
          entries: { "command-logger": { enabled: true }, "session-memory": { enabled: true } },
        },
      },
    }),
  );
  const { proc, port } = await startGateway({ home: configured.home });
  let ui: ReferenceSession | undefined;
  try {
    ui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    await proc.waitForLine(/loaded 2 internal hook handlers/);
    await ui.request("chat.send", { sessionKey: KEY, message: "remember the word pineapple", idempotencyKey: "h-1" });
    await until(() => finalOf(ui!, "h-1") !== undefined, "the first answer");
    await ui.request("chat.send", { sessionKey: KEY, message: "/new", idempotencyKey: "h-2" });
    await until(() => finalOf(ui!, "h-2") !== undefined, "the /new acknowledgement");

    const logPath = `${configured.stateDir}/logs/commands.log`;
    await until(async () => (await readOrNull(logPath)) !== null, "logs/commands.log");
    const line = JSON.parse((await readOrNull(logPath))!.trim());
    assert.deepEqual(
      { action: line.action, sessionKey: line.sessionKey, senderId: line.senderId, source: line.source },
      { action: "new", sessionKey: KEY, senderId: "cli", source: "webchat" },
    );

    let memory: string | null = null;
    await until(async () => {
      let names: string[] = [];
      try {
        names = (await Array.fromAsync(Deno.readDir(`${ws}/memory`))).map((e) => e.name);
      } catch {
        // Not written yet.
      }
      memory = names.length === 1 ? await readOrNull(`${ws}/memory/${names[0]}`) : null;
      assert.ok(names.every((n) => /^\d{4}-\d{2}-\d{2}-\d{4}\.md$/.test(n)), names.join(","));
      return memory !== null;
    }, "the memory file").catch((error) => {
      throw new Error(`${error.message}\n${proc.output}`);
    });
    const text = memory as unknown as string;
    assert.match(text, /^# Session: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\n/);
    assert.match(text, /\n- \*\*Session Key\*\*: agent:main:main\n- \*\*Session ID\*\*: [0-9a-f-]{36}\n/);
    assert.match(text, /\n- \*\*Source\*\*: webchat\n/);
    assert.ok(text.includes(`user: "remember the word pineapple"\nassistant: ${JSON.stringify(FAKE_ANSWER)}\n`), text);
    await proc.waitForLine(/Session context saved to ~\/workspace-x\/memory\//);
  } finally {
    ui?.stop();
    await Promise.all([proc.stop(), upstream.stop()]);
    await configured.cleanup();
  }
});

Deno.test("a workspace hook's handler module runs on gateway:startup and gateway:shutdown; a reload loads the set again", async () => {
  const home = await tempHome();
  const workspace = `${home.home}/ws`;
  const hookDir = `${workspace}/hooks/startup-writer`;
  await Deno.mkdir(hookDir, { recursive: true });
  await Deno.writeTextFile(
    `${hookDir}/HOOK.md`,
    '---\nname: startup-writer\ndescription: "Writes a file on gateway startup"\n' +
      'metadata: { "openclaw": { "events": ["gateway:startup", "gateway:shutdown"] } }\n---\n# startup-writer\n',
  );
  await Deno.writeTextFile(
    `${hookDir}/handler.ts`,
    "export default async function (event: { type: string; action: string; sessionKey: string; " +
      "context: Record<string, unknown> }) {\n" +
      '  const out = `${Deno.env.get("HOME")}/ws/${event.action}.json`;\n' +
      "  await Deno.writeTextFile(out, JSON.stringify({ type: event.type, action: event.action, " +
      "sessionKey: event.sessionKey, contextKeys: Object.keys(event.context).sort() }));\n}\n",
  );
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      gateway: { mode: "local", auth: { token: TOKEN } },
      agents: { defaults: { workspace } },
      hooks: { internal: { enabled: true, entries: { "startup-writer": { enabled: true } } } },
    }),
  );
  const { proc } = await startGateway({ home: home.home });
  try {
    await proc.waitForLine(/Loading workspace hook code into the gateway process\. Hooks are trusted local code\./);
    await proc.waitForLine(/loaded 1 internal hook handler$/);
    await until(async () => (await readOrNull(`${workspace}/startup.json`)) !== null, "the startup hook's file");
    assert.deepEqual(JSON.parse((await readOrNull(`${workspace}/startup.json`))!), {
      type: "gateway",
      action: "startup",
      sessionKey: "gateway:startup",
      contextKeys: ["cfg", "workspaceDir"],
    });
    // A reload that enables one more hook loads the set again.
    await Deno.writeTextFile(
      home.configPath,
      JSON.stringify({
        gateway: { mode: "local", auth: { token: TOKEN } },
        agents: { defaults: { workspace } },
        hooks: {
          internal: {
            enabled: true,
            entries: { "startup-writer": { enabled: true }, "command-logger": { enabled: true } },
          },
        },
      }),
    );
    await proc.waitForLine(/loaded 2 internal hook handlers$/);
    await proc.stop();
    assert.deepEqual(JSON.parse((await readOrNull(`${workspace}/shutdown.json`)) ?? "null"), {
      type: "gateway",
      action: "shutdown",
      sessionKey: "gateway:shutdown",
      contextKeys: ["reason", "restartExpectedMs"],
    });
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
