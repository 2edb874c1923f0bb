import assert from "node:assert/strict";
import { shouldWarnOnTouchedVersion, touchedVersionLine } from "../../src/config/touched_version.ts";

Deno.test("shouldWarnOnTouchedVersion() warns only for a newer release than the running one", () => {
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2099.1.1"), true);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2026.9.7"), true);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2026.9.6"), false);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2026.1.1"), false);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", undefined), false);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "not a version"), false);
});

Deno.test("shouldWarnOnTouchedVersion() reads corrections and betas as OpenClaw does", () => {
  // A correction (a bare numeric prerelease) of the same release is not newer enough to warn.
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2026.9.6-1"), false);
  // A correction sorts after its release: running the release, a later one's correction is newer.
  assert.equal(shouldWarnOnTouchedVersion("2026.9.5", "2026.9.5-2"), false);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6-1", "2026.9.6-2"), false);
  // A beta of the running release is older than it; a beta of a later one is newer.
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2026.9.6-beta.1"), false);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6-beta.1", "2026.9.6-beta.2"), true);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2026.9.7.beta.1"), true);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "v2026.10.0"), true);
  // Checked against the reference's own function (version-*.mjs) on these pairs.
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6", "2026.9.7-1"), true);
  assert.equal(shouldWarnOnTouchedVersion("2026.9.6-2", "2026.9.6-beta.1"), false);
});

Deno.test("touchedVersionLine() words the advice as the reference", () => {
  assert.equal(
    touchedVersionLine("2026.11.0", "2099.1.1"),
    "Config was last written by OpenClaw 2099.1.1, but you are running 2026.11.0 — upgrade or re-run setup.",
  );
  assert.equal(touchedVersionLine("2026.11.0", "2026.1.1"), undefined);
});
