// config.apply and config.patch as the reference answers them: the file written, then applied by the reload every
// write gets; a restart of their own only while reloading is off and the change has something to apply, after the
// request's delay (default 2 s, at most 60 s); the restart note (`sentinel`) from the request's session, delivery
// and note. A patch that changes nothing writes nothing.
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { type ConfigDeps, configMethods } from "../../src/rpc/methods/config.ts";
import type { MethodCall } from "../../src/rpc/registry.ts";
import type { ScheduledRestart } from "../../src/rpc/restart_scheduler.ts";
import { operatorCaller } from "../support/rpc_caller.ts";

const caller = operatorCaller(["operator.admin"]);
const call = (params: unknown): MethodCall => ({ params, caller, accept: () => {} });

interface Applied {
  ok: true;
  path: string;
  hash: string;
  restart?: ScheduledRestart;
  sentinel: { persisted: boolean; payload: Record<string, unknown> };
  reload: { action: string; hot: string[]; restart: string[] };
  noop?: true;
  changedPaths?: string[];
}

/** Applies `next` over a file holding `before`; returns the answer, the restarts asked for and the file after. */
function apply(before: string, next: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return write("config.apply", before, next, extra);
}

/** `method` with `raw` (the whole config, or the patch) over a file holding `before`. */
async function write(
  method: "config.apply" | "config.patch",
  before: string,
  raw: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<{ answer: Applied; restarts: { reason: string; delayMs: number }[]; file: string }> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/openclaw.json`;
    await Deno.writeTextFile(path, before);
    const restarts: { reason: string; delayMs: number }[] = [];
    const deps: ConfigDeps = {
      path,
      env: {},
      version: "test",
      written: () => {},
      scheduleRestart: (input) => {
        restarts.push(input);
        return Promise.resolve({
          ok: true,
          pid: 7,
          signal: "SIGUSR2",
          reason: input.reason,
          mode: "emit",
          cooldownMsApplied: 0,
          delayMs: input.delayMs,
          coalesced: false,
          emitHooksQueued: false,
        });
      },
    };
    const baseHash = (await loadConfig(path, {})).hash;
    const answer = await configMethods(deps)[method]!.handler(
      call({ raw: JSON.stringify(raw), baseHash, ...extra }),
    ) as Applied;
    return { answer, restarts, file: await Deno.readTextFile(path) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const LOCAL = '{ gateway: { mode: "local" } }\n';
const OFF = '{ gateway: { mode: "local", reload: { mode: "off" } } }\n';

Deno.test("config.apply of a hot change writes the file and restarts nothing: the reload applies it", async () => {
  const { answer, restarts, file } = await apply(LOCAL, { gateway: { mode: "local" }, logging: { level: "debug" } });
  assert.deepEqual(restarts, []);
  assert.equal(answer.restart, undefined);
  assert.equal(answer.reload.action, "hot");
  assert.deepEqual(answer.reload.hot, ["logging.level"]);
  assert.equal(JSON.parse(file).logging.level, "debug");
  assert.equal(answer.sentinel.persisted, false);
  assert.deepEqual((answer.sentinel.payload.stats as Record<string, unknown>).requiresRestart, false);
});

Deno.test("config.apply of a change that needs a restart leaves it to the reload (no restart of its own)", async () => {
  const { answer, restarts } = await apply(LOCAL, { gateway: { mode: "local", port: 19_999 } });
  assert.deepEqual(restarts, []);
  assert.equal(answer.restart, undefined);
  assert.equal(answer.reload.action, "restart");
  assert.deepEqual(answer.sentinel.payload.stats, {
    mode: "config.apply",
    root: answer.path,
    requiresRestart: true,
  });
});

Deno.test("config.apply with reloading off schedules its own restart after the request's delay", async () => {
  const next = { gateway: { mode: "local", reload: { mode: "off" } }, logging: { level: "debug" } };
  const plain = await apply(OFF, next);
  assert.deepEqual(plain.restarts, [{ reason: "config.apply", delayMs: 2_000 }]);
  assert.equal(plain.answer.restart?.delayMs, 2_000);
  assert.equal(plain.answer.reload.action, "ignore");
  assert.equal((plain.answer.sentinel.payload.stats as Record<string, unknown>).requiresRestart, true);
  for (const [asked, delayMs] of [[0, 0], [750, 750], [600_000, 60_000]] as const) {
    const { restarts } = await apply(OFF, next, { restartDelayMs: asked });
    assert.deepEqual(restarts, [{ reason: "config.apply", delayMs }], `restartDelayMs ${asked}`);
  }
});

Deno.test("config.apply with reloading off restarts nothing for a change with nothing to apply", async () => {
  // The same config again, and a change to the reload settings only (nothing a restart would apply).
  const same = await apply(OFF, { gateway: { mode: "local", reload: { mode: "off" } } });
  assert.deepEqual(same.restarts, []);
  const debounce = await apply(OFF, { gateway: { mode: "local", reload: { mode: "off", debounceMs: 900 } } });
  assert.deepEqual(debounce.restarts, []);
  assert.equal(debounce.answer.restart, undefined);
  assert.equal((debounce.answer.sentinel.payload.stats as Record<string, unknown>).requiresRestart, false);
});

Deno.test("config.apply's restart note carries the request's session, delivery, thread and note", async () => {
  const { answer } = await apply(LOCAL, { gateway: { mode: "local" }, logging: { level: "debug" } }, {
    sessionKey: " agent:main:main ",
    deliveryContext: { channel: "telegram", to: " 42 ", accountId: "", threadId: 7 },
    note: "  switching to debug logs ",
  });
  const payload = answer.sentinel.payload;
  assert.equal(typeof payload.ts, "number");
  assert.deepEqual({ ...payload, ts: 0 }, {
    kind: "config-apply",
    status: "ok",
    ts: 0,
    sessionKey: "agent:main:main",
    deliveryContext: { channel: "telegram", to: "42" },
    threadId: "7",
    message: "switching to debug logs",
    doctorHint:
      "Recommended follow-up: run openclaw doctor --non-interactive in a terminal or approvals-capable OpenClaw surface.",
    stats: { mode: "config.apply", root: answer.path, requiresRestart: false },
  });
  const bare = await apply(LOCAL, { gateway: { mode: "local" }, logging: { level: "warn" } });
  assert.equal(bare.answer.sentinel.payload.message, null);
  assert.equal("sessionKey" in bare.answer.sentinel.payload, false);
  assert.equal("deliveryContext" in bare.answer.sentinel.payload, false);
});

Deno.test("config.patch that changes nothing writes nothing: the file keeps its comments, the answer says noop", async () => {
  const text = '// mine\n{ gateway: { mode: "local" /* here */ }, logging: { level: "info" } }\n';
  const { answer, restarts, file } = await write("config.patch", text, { logging: { level: "info" } });
  assert.equal(file, text);
  assert.deepEqual(restarts, []);
  assert.deepEqual([answer.noop, answer.changedPaths, answer.ok], [true, [], true]);
  assert.equal(typeof answer.hash, "string", "the hash in force, for the caller's next write");
  assert.equal(answer.sentinel, undefined);
});

Deno.test("config.patch answers its changed paths and note, and schedules a restart only with reloading off", async () => {
  const hybrid = await write("config.patch", LOCAL, { logging: { level: "debug" } }, { note: "more logs" });
  assert.deepEqual(hybrid.answer.changedPaths, ["logging.level"]);
  assert.deepEqual(hybrid.restarts, []);
  assert.equal(hybrid.answer.sentinel.payload.kind, "config-patch");
  assert.equal(hybrid.answer.sentinel.payload.message, "more logs");
  assert.deepEqual(hybrid.answer.sentinel.payload.stats, {
    mode: "config.patch",
    root: hybrid.answer.path,
    requiresRestart: false,
  });
  const off = await write("config.patch", OFF, { logging: { level: "debug" } }, { restartDelayMs: 10 });
  assert.deepEqual(off.restarts, [{ reason: "config.patch", delayMs: 10 }]);
  assert.equal(off.answer.restart?.reason, "config.patch");
  assert.equal(JSON.parse(off.file).logging.level, "debug");
});
