import assert from "node:assert/strict";
import { execApprovalsForwarding, sessionFilterMatches } from "../../src/config/approvals_forwarding.ts";

Deno.test("approvals.exec: on only when enabled; mode, filters and targets as the reference reads them", () => {
  assert.equal(execApprovalsForwarding({}), undefined);
  assert.equal(execApprovalsForwarding({ approvals: { exec: { enabled: false, mode: "targets" } } }), undefined);
  assert.deepEqual(
    execApprovalsForwarding({
      approvals: {
        exec: {
          enabled: true,
          mode: "both",
          agentFilter: ["main"],
          sessionFilter: ["discord"],
          targets: [{ channel: "telegram", to: "-100", accountId: "ops", threadId: 77 }, { channel: "irc" }],
        },
      },
    }),
    {
      mode: "both",
      agentFilter: ["main"],
      sessionFilter: ["discord"],
      targets: [{ channel: "telegram", to: "-100", accountId: "ops", threadId: "77" }],
    },
  );
  assert.equal(execApprovalsForwarding({ approvals: { exec: { enabled: true } } })?.mode, "session");
});

Deno.test("sessionFilter: substrings or regexes; none means every session", () => {
  assert.ok(sessionFilterMatches(undefined, "agent:main:main"));
  assert.ok(sessionFilterMatches(["telegram"], "agent:main:telegram:direct:1"));
  assert.ok(sessionFilterMatches(["^agent:ops:"], "agent:ops:main"));
  assert.ok(!sessionFilterMatches(["irc"], "agent:main:main"));
});
