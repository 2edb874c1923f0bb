// SecretRefs through `secrets.providers` at the gateway's runtime, as the reference resolves them at start and on
// `secrets reload` (tests/fixtures/secrets/runtime/): a gateway token from an exec provider (a client connects with
// the value the script printed, a rotated value takes over after secrets.reload, and the CLI resolves it too), a
// model provider's apiKey from a file provider (the upstream receives it; the console never shows it), a Telegram
// botToken from an exec provider (the account connects) beside a failing model key that only degrades its provider,
// and a failing provider at the gateway's own auth refusing the start with one line naming the reason, the place and
// the fix.
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, runOpenclaw, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const EXEC_TOKEN = "exec-gateway-token-0123456789abcdef";
const ROTATED = "exec-gateway-token-rotated-0123456789";
const GATEWAY_TOKEN = "http-token-0123456789abcdef";
const FILE_KEY = "sk-from-file-provider-0123456789";

/** Writes an executable (0700) exec-provider script into `dir` that prints `{protocolVersion: 1, values}`. */
async function execProvider(dir: string, body: string): Promise<string> {
  const path = `${dir}/secret-provider`;
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, 0o700);
  return path;
}

/** Answers id `gw` with the text of `token.txt` beside the script (the test rotates it). */
const TOKEN_FROM_FILE = `cat > "$PWD/request.json"
printf '{"protocolVersion":1,"values":{"gw":"%s"}}' "$(cat "$PWD/token.txt")"`;

Deno.test("secret providers: a gateway token from an exec provider authenticates a client, secrets.reload rotates it, a failing edit is not applied", async () => {
  const home = await tempHome();
  const command = await execProvider(home.home, TOKEN_FROM_FILE);
  await Deno.writeTextFile(`${home.home}/token.txt`, EXEC_TOKEN);
  await Deno.mkdir(home.stateDir, { recursive: true, mode: 0o700 });
  const port = freePort();
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      secrets: { providers: { vault: { source: "exec", command, jsonOnly: true } } },
      gateway: {
        mode: "local",
        port,
        auth: { mode: "token", token: { source: "exec", provider: "vault", id: "gw" } },
      },
    }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const request = JSON.parse(await Deno.readTextFile(`${home.home}/request.json`));
    assert.deepEqual(request, { protocolVersion: 1, provider: "vault", ids: ["gw"] });
    await assert.rejects(connectReference({ port, token: "not-the-exec-token-0123" }));
    const session = await connectReference({ port, token: EXEC_TOKEN, scopes: ["operator.admin"] });
    try {
      await Deno.writeTextFile(`${home.home}/token.txt`, ROTATED);
      assert.deepEqual(await session.request("secrets.reload", {}), { ok: true, warningCount: 0 });
      // The rotated token revokes the sessions opened with the old one, this one included.
      await until(() => session.closes.length > 0, "the session opened with the old token is closed");
    } finally {
      session.stop();
    }
    const rotated = await connectReference({ port, token: ROTATED });
    rotated.stop();
    await assert.rejects(connectReference({ port, token: EXEC_TOKEN }));
    // The CLI resolves the same ref itself to connect, as the reference's CLI does.
    const health = await runOpenclaw(["health", "--json"], { home: home.home });
    assert.equal(health.code, 0, health.stderr);
    assert.equal(JSON.parse(health.stdout).ok, true);
    // An edit whose provider fails is not applied: the token in force stays, as the reference keeps its last good one.
    await Deno.mkdir(`${home.home}/bin`);
    const failing = await execProvider(`${home.home}/bin`, "exit 5");
    const config = JSON.parse(await Deno.readTextFile(home.configPath));
    config.secrets.providers.vault.command = failing;
    await Deno.writeTextFile(home.configPath, JSON.stringify(config));
    await proc.waitForLine(
      /config reload skipped \(invalid config\): Exec provider "vault" exited with code 5\. gateway\.auth\.token refers to exec:vault:gw/,
    );
    const still = await connectReference({ port, token: ROTATED });
    still.stop();
    assert.ok(!proc.output.includes(EXEC_TOKEN) && !proc.output.includes(ROTATED), "the console never shows it");
    assert.doesNotMatch(proc.output, /does not implement are ignored/, "secrets.providers is read, not ignored");
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("secret providers: a model provider's apiKey from a file provider reaches the upstream", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome();
  const secrets = `${home.home}/secrets.json`;
  await Deno.writeTextFile(secrets, JSON.stringify({ providers: { fake: { apiKey: FILE_KEY } } }), { mode: 0o600 });
  await Deno.mkdir(home.stateDir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      secrets: { providers: { vault: { source: "file", path: "~/secrets.json", mode: "json" } } },
      gateway: {
        mode: "local",
        auth: { token: GATEWAY_TOKEN },
        http: { endpoints: { chatCompletions: { enabled: true } } },
      },
      models: {
        providers: {
          fake: {
            baseUrl: upstream.url,
            apiKey: { source: "file", provider: "vault", id: "/providers/fake/apiKey" },
            models: ["m1"],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/m1" } } },
    }),
  );
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${GATEWAY_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.choices[0].message.content, FAKE_ANSWER);
    const call = upstream.calls.find((c) => c.path.endsWith("/chat/completions"));
    assert.equal(call?.headers.authorization, `Bearer ${FILE_KEY}`);
    assert.ok(!proc.output.includes(FILE_KEY), "the console never shows the key");
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("secret providers: a Telegram botToken from an exec provider connects, and a failing model key only degrades its provider", async () => {
  const botToken = "123:exec-provided-bot-token";
  const telegram = startFakeTelegram(botToken);
  const home = await tempHome();
  const command = await execProvider(
    home.home,
    `cat > /dev/null\nprintf '{"protocolVersion":1,"values":{"telegram":"${botToken}"}}'`,
  );
  const failing = `${home.home}/failing-provider`;
  await Deno.writeTextFile(failing, "#!/bin/sh\nexit 7\n");
  await Deno.chmod(failing, 0o700);
  await Deno.mkdir(home.stateDir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      secrets: {
        providers: { vault: { source: "exec", command }, broken: { source: "exec", command: failing } },
      },
      gateway: { mode: "local", auth: { token: GATEWAY_TOKEN } },
      models: {
        providers: {
          fake: {
            baseUrl: "http://127.0.0.1:9/v1",
            apiKey: { source: "exec", provider: "broken", id: "fake" },
            models: ["m1"],
          },
        },
      },
      channels: {
        telegram: { botToken: { source: "exec", provider: "vault", id: "telegram" }, apiRoot: telegram.url },
      },
    }),
  );
  const { proc } = await startGateway({ home: home.home });
  try {
    await proc.waitForLine(/telegram\/default: polling as @oc_test_bot/);
    const degraded = await proc.waitForLine(/\[SECRETS_DEGRADED\] models\.providers\.fake\.apiKey/);
    assert.match(
      degraded,
      /\(exec:broken:fake\): Exec provider "broken" exited with code 7\. It runs as if unset\. Retry: openclaw secrets reload\./,
    );
    assert.ok(!proc.output.includes(botToken.slice(4)), "the console never shows the bot token");
  } finally {
    await proc.stop();
    await telegram.stop();
    await home.cleanup();
  }
});

Deno.test("secret providers: a failing provider at gateway.auth.token refuses the start with the reason, the place and the fix", async () => {
  const home = await tempHome();
  const command = await execProvider(home.home, "exit 3");
  await Deno.mkdir(home.stateDir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      secrets: { providers: { vault: { source: "exec", command } } },
      gateway: { mode: "local", auth: { mode: "token", token: { source: "exec", provider: "vault", id: "gw" } } },
    }),
  );
  try {
    const refused = await spawnOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home });
    assert.notEqual(await refused.exited(), 0);
    assert.match(
      refused.output,
      /Exec provider "vault" exited with code 3\. gateway\.auth\.token refers to exec:vault:gw; fix secrets\.providers\.vault or change the reference/,
    );
    assert.doesNotMatch(refused.output, /listening on/);
  } finally {
    await home.cleanup();
  }
});
