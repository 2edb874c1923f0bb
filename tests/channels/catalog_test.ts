import assert from "node:assert/strict";
import { connectionFingerprint } from "../../src/channels/accounts.ts";
import { CHANNEL_KINDS } from "../../src/channels/catalog.ts";
import { WebhookRoutes } from "../../src/channels/webhooks.ts";

const [irc, telegram] = CHANNEL_KINDS;

Deno.test("catalog: a section declares the root as default and named accounts inheriting it", () => {
  const section = irc!.declared(
    { irc: { host: "h", nick: "n", accounts: { b: { nick: "b" } }, defaultAccount: "b" } },
    {},
  );
  assert.ok(section);
  assert.deepEqual(section.accounts.map((a) => a.accountId), ["default", "b"]);
  assert.equal(section.defaultAccountId, "b");
  assert.deepEqual(section.accounts[1]!.settings, { host: "h", nick: "b" }, "inherits the root, without its accounts");
  assert.equal(section.enabled, true);
  assert.equal(irc!.declared({}, {}), undefined, "no section, nothing declared");
  // A root without an identity of its own is not an account when named ones exist.
  const named = telegram!.declared({
    telegram: { dmPolicy: "open", allowFrom: ["*"], accounts: { x: { botToken: "t" } } },
  }, {});
  assert.deepEqual(named?.accounts.map((a) => a.accountId), ["x"]);
  assert.equal(named?.defaultAccountId, "x");
  assert.equal(telegram!.declared({ telegram: { enabled: false } }, {})?.enabled, false);
});

Deno.test("catalog: editing a named account leaves the default account's fingerprint alone", () => {
  const fingerprint = (accounts: Record<string, { nick: string }>) =>
    connectionFingerprint(irc!.declared({ irc: { host: "h", nick: "n", accounts } }, {})!.accounts[0]!.settings);
  assert.equal(fingerprint({ b: { nick: "b" } }), fingerprint({ b: { nick: "c" } }));
});

Deno.test("catalog: the pairing reply's id line is the kind's own wording", () => {
  assert.equal(telegram!.pairingIdLine("42"), "Your Telegram user id: 42");
  assert.equal(irc!.pairingIdLine("a!u@h"), "Your IRC id: a!u@h");
});

Deno.test("webhooks: one account per path; an old unmount never removes a newer handler", async () => {
  const routes = new WebhookRoutes();
  const request = new Request("http://127.0.0.1/hook");
  assert.equal(routes.handlerFor(request), undefined);
  const first = () => Promise.resolve(new Response("first"));
  const unmountFirst = routes.mount("telegram/a", "/hook", first);
  assert.throws(() => routes.mount("telegram/b", "/hook", first), /already served for telegram\/a/);
  const second = () => Promise.resolve(new Response("second"));
  routes.mount("telegram/a", "/hook", second);
  unmountFirst();
  assert.equal(await (await routes.handlerFor(request)!(request)).text(), "second");
});
