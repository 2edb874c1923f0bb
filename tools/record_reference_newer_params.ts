// Re-records tests/fixtures/protodrift/reference_answers.json: what the reference OpenClaw 2026.9.6
// answers to the requests of tests/support/newer_params_cases.ts (params fields the pinned
// @openclaw/gateway-protocol 2026.9.1 lacks), sent by the reference client library to the reference
// gateway with two agents and no sessions.
//
//   deno run -A tools/record_reference_newer_params.ts [--port 19541]
import { freePort } from "../tests/support/spawn_gateway.ts";
import { clientTestConfig, startReferenceGateway } from "../tests/support/reference_gateway.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import {
  NEWER_PARAMS_AGENTS,
  NEWER_PARAMS_CASES,
  reduceAnswer,
  type ReducedAnswer,
} from "../tests/support/newer_params_cases.ts";

const TOKEN = "reference-newer-params-token-0123456789";
const FIXTURE = new URL("../tests/fixtures/protodrift/reference_answers.json", import.meta.url);

const portFlag = Deno.args.indexOf("--port");
const port = portFlag === -1 ? freePort() : Number(Deno.args[portFlag + 1]);
const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: "http://127.0.0.1:9/v1" });
const gateway = await startReferenceGateway({
  root: await Deno.makeTempDir({ prefix: "oc-newer-params-" }),
  port,
  config: { ...config, agents: { ...(config.agents as object), ...NEWER_PARAMS_AGENTS } },
});
try {
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.read"] });
  const answers: Record<string, ReducedAnswer> = {};
  for (const { name, method, params } of NEWER_PARAMS_CASES) {
    answers[name] = await session.request(method, params).then(
      (payload) => reduceAnswer({ payload }),
      (error) => reduceAnswer({ error }),
    );
  }
  session.stop();
  await Deno.writeTextFile(FIXTURE, JSON.stringify(answers, null, 2) + "\n");
  // deno-lint-ignore no-console -- a recorder says what it wrote.
  console.log(JSON.stringify(answers, null, 2));
} finally {
  await gateway.stop();
}
