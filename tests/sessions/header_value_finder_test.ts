import assert from "node:assert/strict";
import { findHeaderValues, headerPrefix } from "../../src/sessions/header_value_finder.ts";

const prefix = headerPrefix("(^|[^A-Za-z0-9_-])Authorization[ \\t]*:[ \\t]*");

Deno.test("findHeaderValues() takes a credential that runs to the end of the value, with where it starts", () => {
  assert.deepEqual([...findHeaderValues(prefix, "Authorization: abcdef, next")], [
    { index: 0, match: "Authorization: abcdef", secret: { value: "abcdef", at: 15 } },
  ]);
  assert.deepEqual([...findHeaderValues(prefix, "Authorization: abc def")], []);
});

Deno.test("findHeaderValues() finds a later header inside a run that failed an earlier one", () => {
  const found = [...findHeaderValues(prefix, "Authorization:Authorization: xyz")];
  assert.deepEqual(found.map(({ secret }) => secret?.value), ["xyz"]);
});
