// The grant revision the reference keeps in `cron_jobs.grant_definition_revision`: the same
// `sha256:` + base64url of a key-sorted serialization as a job's `configRevision`
// (agent/cron_views.ts), over the stored definition less `enabled`, so neither gateway sees the
// other's rows as changed.
import { hashCronDefinition } from "../agent/cron_views.ts";

/** The grant revision stored in `cron_jobs.grant_definition_revision`: the stored definition less `enabled`. */
export function cronJobGrantRevision(storedJobJson: Record<string, unknown>): string {
  const stored: Record<string, unknown> = JSON.parse(JSON.stringify(storedJobJson));
  const { enabled: _enabled, state: _state, ...definition } = stored;
  return hashCronDefinition(definition);
}
