// A home onboarded by our own `openclaw onboard --auth-choice apiKey` (the Anthropic key stored as a
// profile), laid out as the model-catalog recordings' (`<root>/home`, `<root>/state`,
// `<root>/openclaw.json`), with the gateway token onboard wrote.
import assert from "node:assert/strict";
import { onboardApiKeyArgs } from "./auth_profile_store.ts";
import { runOpenclaw } from "./spawn_gateway.ts";

/** An onboarded root: where its home is, the environment naming its state and config, its gateway token. */
export interface OnboardedHome {
  root: string;
  home: string;
  env: Record<string, string>;
  token: string;
  cleanup(): Promise<void>;
}

/** Onboards a fresh root with `key` as the Anthropic API key, as the binary runs it. */
export async function onboardedHome(key: string): Promise<OnboardedHome> {
  const root = await Deno.makeTempDir({ prefix: "oc-onboarded-" });
  const home = `${root}/home`;
  await Deno.mkdir(home);
  const env = { OPENCLAW_STATE_DIR: `${root}/state`, OPENCLAW_CONFIG_PATH: `${root}/openclaw.json` };
  const onboard = await runOpenclaw(onboardApiKeyArgs(key), { home, env });
  assert.equal(onboard.code, 0, onboard.stderr);
  const config = JSON.parse(await Deno.readTextFile(`${root}/openclaw.json`));
  return {
    root,
    home,
    env,
    token: config.gateway.auth.token,
    cleanup: () => Deno.remove(root, { recursive: true }).catch(() => {}),
  };
}
