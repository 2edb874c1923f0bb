import assert from "node:assert/strict";
import { decodeTrajectoryRequest } from "../../../src/cli/commands/trajectory_request.ts";

function encode(value: unknown): string {
  return btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/u, "");
}

Deno.test("decodeTrajectoryRequest() takes the usable string fields of a base64url JSON object", () => {
  const request = { sessionKey: "agent:main:main", workspace: "/w", output: " ", store: "", agent: "main", x: 1 };
  assert.deepEqual(decodeTrajectoryRequest(encode(request)), {
    sessionKey: "agent:main:main",
    workspace: "/w",
    store: "",
    agent: "main",
  });
});

Deno.test("decodeTrajectoryRequest() refuses non-canonical text, bad JSON and non-objects in the reference's words", () => {
  assert.throws(() => decodeTrajectoryRequest("a+b"), new Error("Encoded trajectory export request is invalid"));
  assert.throws(
    () => decodeTrajectoryRequest(`${encode({})}=`),
    new Error("Encoded trajectory export request is invalid"),
  );
  assert.throws(() => decodeTrajectoryRequest(encode("x").slice(0, -1) + "_"), Error);
  assert.throws(
    () => decodeTrajectoryRequest(btoa("{nope").replace(/=+$/u, "")),
    new Error("Encoded trajectory export request is invalid JSON"),
  );
  assert.throws(
    () => decodeTrajectoryRequest(encode([1])),
    new Error("Encoded trajectory export request must be a JSON object"),
  );
});
