// Our gateway answers the params fields the reference 2026.9.6 added (src/rpc/protocol_overlay.ts) as the
// reference does: the requests of tests/support/newer_params_cases.ts, sent by the reference client
// library, compared with the reference's recorded answers (tools/record_reference_newer_params.ts).
import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import {
  NEWER_PARAMS_AGENTS,
  NEWER_PARAMS_CASES,
  reduceAnswer,
  type ReducedAnswer,
} from "../support/newer_params_cases.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "newer-params-token-0123456789abcdef";
const RECORDED: Record<string, ReducedAnswer> = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/protodrift/reference_answers.json", import.meta.url)),
);

Deno.test("the 2026.9.6 params fields: our gateway answers each recorded request as the reference did", async () => {
  const port = freePort();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: "http://127.0.0.1:9/v1" });
  const home = await tempHome({ ...config, agents: { ...(config.agents as object), ...NEWER_PARAMS_AGENTS } });
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.read"] });
    try {
      for (const { name, method, params } of NEWER_PARAMS_CASES) {
        const answer = await session.request(method, params).then(
          (payload) => reduceAnswer({ payload }),
          (error) => reduceAnswer({ error }),
        );
        assert.deepEqual(answer, RECORDED[name], `${name}: ${method} ${JSON.stringify(params)}`);
      }
    } finally {
      session.stop();
    }
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
