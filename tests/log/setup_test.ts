import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { currentLogFile, dailyLogName, setupLogging, shutdownLogging } from "../../src/log/setup.ts";
import { maskSecret, redactionPatterns, redactText } from "../../src/log/redact.ts";
import { credentialKeyNames } from "../../src/config/sensitive.ts";

function captureWriter(lines: string[]) {
  return {
    writeSync(bytes: Uint8Array) {
      lines.push(new TextDecoder().decode(bytes));
      return bytes.length;
    },
    isTerminal: () => false,
  };
}

Deno.test("setupLogging() redacts the gateway token in both the console and the JSON file", async () => {
  const dir = await Deno.makeTempDir();
  const token = "4f1c2a9e8b7d6c5f4e3d2c1b0a998877";
  const out: string[] = [];
  const err: string[] = [];
  try {
    await setupLogging(
      { fileLevel: "info", consoleLevel: "info", directory: dir, secrets: [token] },
      { out: captureWriter(out), err: captureWriter(err) },
    );
    const log = getLogger("gateway");
    log.info(`client sent token ${token} in free text`);
    log.warn(`Authorization: Bearer ${token}`);
    await shutdownLogging();
    const file = await Deno.readTextFile(currentLogFile({ directory: dir, file: undefined }));
    const console = out.join("") + err.join("");
    for (const text of [file, console]) {
      assert.ok(!text.includes(token), `token leaked: ${text}`);
      assert.ok(text.includes(maskSecret(token)));
    }
    assert.match(out.join(""), /\[gateway\] client sent token 4f1c2a…8877 in free text/);
    assert.match(err.join(""), /Bearer 4f1c2a…8877/, "warnings go to stderr");
    const record = JSON.parse(file.trim().split("\n")[0]!);
    assert.equal(record._meta.logLevelName, "INFO");
    assert.equal(record["0"], '{"subsystem":"gateway"}');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("setupLogging() masks every secret it is given, wherever it appears (an echoed header)", async () => {
  const dir = await Deno.makeTempDir();
  const out: string[] = [];
  try {
    await setupLogging(
      {
        fileLevel: "info",
        consoleLevel: "info",
        directory: dir,
        secrets: ["provider-key-0123456789"],
        credentialKeys: [],
      },
      { out: captureWriter(out), err: captureWriter(out) },
    );
    getLogger("agent").warn("upstream said: bad header x-api-key=provider-key-0123456789");
    await shutdownLogging();
    const file = await Deno.readTextFile(currentLogFile({ directory: dir, file: undefined }));
    for (const text of [file, out.join("")]) {
      assert.ok(!text.includes("provider-key-0123456789"), text);
      assert.ok(text.includes(maskSecret("provider-key-0123456789")));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("setupLogging() honours levels per sink", async () => {
  const dir = await Deno.makeTempDir();
  const out: string[] = [];
  try {
    await setupLogging(
      { fileLevel: "debug", consoleLevel: "warn", directory: dir },
      { out: captureWriter(out), err: captureWriter(out) },
    );
    getLogger("gateway/ws").debug("debug only in file");
    await shutdownLogging();
    assert.deepEqual(out, []);
    assert.match(await Deno.readTextFile(currentLogFile({ directory: dir, file: undefined })), /debug only in file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("redactText() masks common credential shapes and leaves prose alone", () => {
  const patterns = redactionPatterns({ secrets: [], credentialKeys: credentialKeyNames() });
  const cases: [string, string][] = [
    ["connect with --token rc-test-token-0123456789abcdef now", "connect with --token rc-tes…cdef now"],
    ["OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz", "OPENAI_API_KEY=sk-pro…wxyz"],
    ['config {"token":"abcdef0123456789abcdef"}', 'config {"token":"abcdef…cdef"}'],
    ["short password=hunter2", "short password=***"],
    ["url https://user:secretpassword123@example.com/x", "url https://user:***@example.com/x"],
    ["pass it with --token or OPENCLAW_GATEWAY_TOKEN.", "pass it with --token or OPENCLAW_GATEWAY_TOKEN."],
    // Key names come from the config schema's sensitive marks, so logs hide what config.get hides.
    ['{\\"webhookSecret\\":\\"wh-secret-0123456789\\"}', '{\\"webhookSecret\\":\\"wh-sec…6789\\"}'],
    ['sent {"botToken":"123456:abcdefghijklmnop"}', 'sent {"botToken":"123456…mnop"}'],
    ['auth {"mode":"token"} stays', 'auth {"mode":"token"} stays'],
  ];
  for (const [input, expected] of cases) assert.equal(redactText(input, patterns), expected);
});

Deno.test("dailyLogName() includes the profile", () => {
  const date = new Date(2026, 10, 25);
  assert.equal(dailyLogName(date), "openclaw-2026-11-25.log");
  assert.equal(dailyLogName(date, "work"), "openclaw-work-2026-11-25.log");
});

Deno.test("log files are 0600: created so, an existing 0644 one tightened at open, rotated ones too", async () => {
  const dir = await Deno.makeTempDir();
  const out: string[] = [];
  const streams = { out: captureWriter(out), err: captureWriter(out) };
  const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;
  try {
    const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000);
    const older = `${dir}/${dailyLogName(yesterday)}`;
    await Deno.writeTextFile(older, "yesterday\n");
    await Deno.chmod(older, 0o644);
    await Deno.utime(older, yesterday, yesterday);
    await setupLogging({ fileLevel: "info", consoleLevel: "silent", directory: dir }, streams);
    getLogger("gateway").info("daily file");
    await shutdownLogging();
    assert.equal(await mode(currentLogFile({ directory: dir, file: undefined })), 0o600);
    assert.equal(await mode(older), 0o600, "an older daily file is tightened too");

    const file = `${dir}/explicit.log`;
    await Deno.writeTextFile(file, "old line\n", { mode: 0o644 });
    await Deno.chmod(file, 0o644);
    await Deno.writeTextFile(`${file}.1`, "older\n");
    await Deno.chmod(`${file}.1`, 0o644);
    await setupLogging(
      { fileLevel: "info", consoleLevel: "silent", directory: dir, file, maxFileBytes: 200 },
      streams,
    );
    assert.equal(await mode(file), 0o600, "an existing file is tightened at open");
    for (let i = 0; i < 5; i++) getLogger("gateway").info(`line ${i} ${"x".repeat(60)}`);
    await shutdownLogging();
    assert.ok((await Deno.stat(`${file}.2`)).isFile, "the file rotated");
    for (const path of [file, `${file}.1`, `${file}.2`]) assert.equal(await mode(path), 0o600, path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reconfiguring and shutting logging down close the log files they opened", async () => {
  const dir = await Deno.makeTempDir();
  const out: string[] = [];
  const streams = { out: captureWriter(out), err: captureWriter(out) };
  const openLogs = () =>
    [...Deno.readDirSync("/proc/self/fd")].filter((fd) => {
      try {
        return Deno.readLinkSync(`/proc/self/fd/${fd.name}`).startsWith(dir);
      } catch {
        return false;
      }
    }).length;
  try {
    for (let i = 0; i < 3; i++) {
      await setupLogging({ fileLevel: "info", consoleLevel: "silent", directory: dir }, streams);
      getLogger("gateway").info(`reload ${i}`);
    }
    assert.equal(openLogs(), 1, "each reload closes the previous file");
    await shutdownLogging();
    assert.equal(openLogs(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
