import assert from "node:assert/strict";
import { isWithinActiveHours } from "../../src/automation/active_hours.ts";

const at = (iso: string) => Date.parse(iso);

Deno.test("active hours: start inclusive, end exclusive, in the window's own time zone", () => {
  const window = { start: "09:00", end: "17:00", timezone: "America/New_York" };
  // 14:00 UTC is 09:00 in New York (EST, UTC-5).
  assert.equal(isWithinActiveHours(window, at("2026-11-30T14:00:00Z")), true);
  assert.equal(isWithinActiveHours(window, at("2026-11-30T13:59:00Z")), false);
  assert.equal(isWithinActiveHours(window, at("2026-11-30T22:00:00Z")), false);
});

Deno.test("active hours: windows across midnight, 24:00, zero width, no window, and userTimezone", () => {
  const night = { start: "22:00", end: "06:00", timezone: "UTC" };
  assert.equal(isWithinActiveHours(night, at("2026-11-30T23:30:00Z")), true);
  assert.equal(isWithinActiveHours(night, at("2026-11-30T12:00:00Z")), false);
  assert.equal(isWithinActiveHours({ start: "00:00", end: "24:00" }, at("2026-11-30T23:59:00Z")), true);
  assert.equal(
    isWithinActiveHours({ start: "08:00", end: "08:00", timezone: "UTC" }, at("2026-11-30T08:00:00Z")),
    false,
  );
  assert.equal(isWithinActiveHours(undefined, 0), true);
  // Without a zone of its own the window is read in agents.defaults.userTimezone (Tokyo, UTC+9).
  assert.equal(isWithinActiveHours({ start: "09:00", end: "10:00" }, at("2026-11-30T00:30:00Z"), "Asia/Tokyo"), true);
  // An unknown zone falls back to the user's.
  assert.equal(
    isWithinActiveHours(
      { start: "09:00", end: "10:00", timezone: "Nowhere/City" },
      at("2026-11-30T00:30:00Z"),
      "Asia/Tokyo",
    ),
    true,
  );
});
