// `openclaw onboard`'s refusals before anything is read: their order and the reference's words.
import assert from "node:assert/strict";
import { onboardRefusal, parseGatewayPort } from "../../../src/cli/commands/onboard_options.ts";

const ready = { nonInteractive: true, acceptRisk: true };

Deno.test("onboard options: choice flags are refused in the reference's words, first bad one wins", () => {
  assert.equal(
    onboardRefusal({ ...ready, gatewayBind: "bogus", gatewayAuth: "bogus" }, false),
    'Invalid --gateway-bind "bogus". Use "loopback", "tailnet", "lan", "auto", "custom".',
  );
  assert.equal(
    onboardRefusal({ ...ready, gatewayAuth: "none" }, false),
    'Invalid --gateway-auth "none". Use "token", "password".',
  );
  assert.equal(
    onboardRefusal({ ...ready, mode: "cloud", gatewayBind: "bogus" }, false),
    'Invalid --mode "cloud". Use "local" or "remote", or run openclaw onboard for interactive setup.',
  );
  assert.equal(
    onboardRefusal({ ...ready, nodeManager: "yarn" }, false),
    'Invalid --node-manager. Use "npm", "pnpm", or "bun".',
  );
  assert.match(onboardRefusal({ ...ready, secretInputMode: "vault" }, false)!, /^Invalid --secret-input-mode\. /);
  assert.equal(
    onboardRefusal({ ...ready, gatewayBind: "lan", gatewayAuth: "password", mode: "local" }, false),
    undefined,
  );
});

Deno.test("onboard options: the risk acknowledgement comes after flag checks; an interactive run needs a terminal", () => {
  assert.match(
    onboardRefusal({ nonInteractive: true }, true)!,
    /^Non-interactive setup requires explicit risk acknowledgement\.\n/,
  );
  assert.match(onboardRefusal({ nonInteractive: true, gatewayBind: "x" }, true)!, /^Invalid --gateway-bind/);
  assert.equal(
    onboardRefusal({}, false),
    "Onboarding needs an interactive TTY. Use `openclaw onboard --non-interactive --accept-risk ...` for automation.",
  );
  assert.equal(onboardRefusal({}, true), undefined);
  assert.equal(onboardRefusal(ready, false), undefined);
});

Deno.test("onboard options: --gateway-port takes 1..65535 in decimal digits only", () => {
  assert.equal(parseGatewayPort(undefined), undefined);
  assert.equal(parseGatewayPort("19001"), 19001);
  for (const bad of ["0", "65536", "abc", "-1", "80.5", ""]) {
    assert.deepEqual(parseGatewayPort(bad), { refusal: "--gateway-port must be an integer between 1 and 65535." }, bad);
  }
});
