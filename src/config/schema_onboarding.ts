import { z } from "zod";
import { choice } from "./schema_choice.ts";

// The reference (2026.9.6, src/config/zod-schema.root-shape.ts) declares `meta` and `wizard` strict:
// a config with an unknown key there is refused by its gateway and CLI (recorded:
// `meta: Unrecognized key: "foo"`, `meta.migrations: Unrecognized key: "x"`), so a config both
// programs share must be refused by ours too, word for word.

/** `meta`: the version that last wrote the config and the config migrations already applied. */
export const MetaConfigSchema = z.strictObject({
  lastTouchedVersion: z.string().optional(),
  migrations: z.strictObject({
    modelPolicyAllowlist: z.literal(true).optional(),
    utilityModelSeparation: z.literal(true).optional(),
  }).optional(),
});

/** `wizard`: what the onboarding wizard recorded about its last run. */
export const WizardConfigSchema = z.strictObject({
  accessMode: choice(["full", "guarded"]).optional(),
  appRecommendations: z.boolean().optional(),
  lastRunAt: z.string().optional(),
  lastRunVersion: z.string().optional(),
  lastRunCommit: z.string().optional(),
  lastRunCommand: z.string().optional(),
  lastRunMode: choice(["local", "remote"]).optional(),
  securityAcknowledgedAt: z.string().optional(),
});
