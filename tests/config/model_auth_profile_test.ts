import assert from "node:assert/strict";
import { splitAuthProfile } from "../../src/config/model_auth_profile.ts";

Deno.test("a model ref's sign-in profile is split off as the reference splits it", () => {
  assert.deepEqual(splitAuthProfile("openai/gpt-5@work"), { model: "openai/gpt-5", profile: "work" });
  assert.deepEqual(splitAuthProfile("anthropic/claude@20250219"), { model: "anthropic/claude@20250219" });
  assert.deepEqual(splitAuthProfile("anthropic/claude@20250219@work"), {
    model: "anthropic/claude@20250219",
    profile: "work",
  });
  assert.deepEqual(splitAuthProfile("ollama/llama3@q4_k_m"), { model: "ollama/llama3@q4_k_m" });
  assert.deepEqual(splitAuthProfile("mlx/qwen@8bit@home"), { model: "mlx/qwen@8bit", profile: "home" });
  assert.deepEqual(splitAuthProfile("fake/m1"), { model: "fake/m1" });
  assert.deepEqual(splitAuthProfile("a@b/c"), { model: "a@b/c" }, "an @ before the last slash is no profile");
});
