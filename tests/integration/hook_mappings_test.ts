import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { freePort, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "gateway-token-0123456789abcdef";
const HOOK_TOKEN = "hook-token-0123456789abcdef";
const BOT = "hookbot";

const TRANSFORM = `
export default function ({ payload, path }) {
  if (payload.skip) return null;
  return { kind: "wake", text: "Transformed " + payload.v + " on " + path };
}
export function boom() { throw new Error("kaput"); }
`;

Deno.test("hook mappings: a templated mapping's agent answer reaches IRC; transforms, skips and failures answer as the reference", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  upstream.script("m1", [{ text: "Deploy of core noted." }]);
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["m1"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
    channels: {
      irc: {
        host: "127.0.0.1",
        port: irc.port,
        tls: false,
        nick: BOT,
        channels: ["#ops"],
        dmPolicy: "open",
        allowFrom: ["*"],
        messagesPerSecond: 20,
      },
    },
    hooks: {
      enabled: true,
      token: HOOK_TOKEN,
      mappings: [
        {
          match: { path: "deploy" },
          name: "Deploy {{service}}",
          messageTemplate: "Service {{service}} was deployed by {{headers.x-user}}.",
          channel: "irc",
          to: "#{{room}}",
        },
        { match: { path: "tr" }, transform: { module: "t.mjs" } },
        { match: { path: "broken" }, transform: { module: "t.mjs", export: "boom" } },
      ],
    },
  });
  // The transforms root is <config dir>/hooks/transforms; the config lives in the state dir here.
  await Deno.mkdir(`${home.stateDir}/hooks/transforms`, { recursive: true });
  await Deno.writeTextFile(`${home.stateDir}/hooks/transforms/t.mjs`, TRANSFORM);
  const { proc, port } = await startGateway({ home: home.home });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/hooks/${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  let alice: IrcTestClient | undefined;
  try {
    alice = await IrcTestClient.connect(irc.port, "alice");
    await alice.join("#ops");
    await alice.waitForMember("#ops", BOT);

    const deployed = await post("deploy", { service: "core", room: "ops" }, { "x-user": "bob" });
    assert.equal(deployed.status, 200);
    const admitted = await deployed.json();
    assert.equal(admitted.ok, true);
    assert.match(admitted.runId, /^[0-9a-f-]{36}$/);
    const said = await alice.waitFor((m) => m.some((x) => x.target === "#ops" && x.from === BOT));
    assert.deepEqual(said.filter((x) => x.target === "#ops").map((x) => x.text), ["Deploy of core noted."]);
    // The model saw the rendered message, wrapped as untrusted webhook content.
    const prompt = JSON.stringify(upstream.requests.at(-1));
    assert.match(prompt, /Service core was deployed by bob\./);
    assert.match(prompt, /EXTERNAL_UNTRUSTED_CONTENT/);
    await proc.waitForLine(/hook agent run completed runId=\S+ status=ok/);

    assert.deepEqual(await (await post("tr", { v: 7 })).json(), { ok: true, mode: "now", eventOutcome: "queued" });
    const skipped = await post("tr", { skip: true });
    assert.equal(skipped.status, 204);
    await skipped.body?.cancel();
    const broken = await post("broken", {});
    assert.equal(broken.status, 500);
    assert.deepEqual(await broken.json(), { ok: false, error: "hook mapping failed" });
    await proc.waitForLine(/hook mapping failed: Error: kaput/);
    const unmatched = await post("nothing", {});
    assert.equal(unmatched.status, 404);
    assert.equal(await unmatched.text(), "Not Found");
  } finally {
    await alice?.close();
    await proc.stop();
    await upstream.stop();
    await irc.stop();
    await home.cleanup();
  }
});

Deno.test("hook mappings: a config the reference refuses (templated keys without a prefix allowlist) stops start-up (exit 78)", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    hooks: { enabled: true, token: HOOK_TOKEN, presets: ["gmail"] },
  });
  try {
    const refused = await spawnOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home });
    assert.equal(await refused.exited(), 78);
    assert.match(
      refused.output,
      /hooks\.allowedSessionKeyPrefixes is required when a hook mapping sessionKey uses templates/,
    );
  } finally {
    await home.cleanup();
  }
});
