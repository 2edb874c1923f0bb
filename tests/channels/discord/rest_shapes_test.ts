import assert from "node:assert/strict";
import { botUserOf, idOf, isChannel } from "../../../src/channels/discord/rest_shapes.ts";

Deno.test("discord REST answers are checked, not cast: a wrong shape fails the request naming it", () => {
  assert.deepEqual(botUserOf({ id: "1", username: "bot", extra: true }), { id: "1", username: "bot" });
  assert.throws(() => botUserOf({ username: "bot" }), /GET \/users\/@me with an unexpected shape/);
  assert.throws(() => botUserOf("<html>"), /unexpected shape/);
  assert.equal(idOf({ id: "9" }, "a message post"), "9");
  assert.throws(() => idOf({}, "a message post"), /a message post with an unexpected shape/);
  assert.equal(isChannel({ id: "1", type: 0 }), true);
  assert.equal(isChannel({ id: "1" }), false);
});
