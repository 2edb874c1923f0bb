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

Deno.test("active hours: an unknown userTimezone falls back to the host's zone (never 'always active'); DST moves the window", () => {
  const now = at("2026-11-30T03:00:00Z");
  const hostHour = Number(new Intl.DateTimeFormat("en-US", { hour: "2-digit", hourCycle: "h23" }).format(now));
  const pad = (hour: number) => String(hour % 24).padStart(2, "0") + ":00";
  // A window two hours ahead of the host's clock: outside it, whatever the host's zone is.
  const ahead = { start: pad(hostHour + 2), end: pad(hostHour + 3) };
  assert.equal(isWithinActiveHours(ahead, now, "Not/AZone"), false);
  assert.equal(isWithinActiveHours({ ...ahead, timezone: "user" }, now, "Not/AZone"), false);
  assert.equal(isWithinActiveHours({ start: pad(hostHour), end: pad(hostHour + 1) }, now, "Not/AZone"), true);
  // New York springs forward on 2026-03-08: 09:00 local is 14:00 UTC the day before, 13:00 UTC after.
  const nine = { start: "09:00", end: "10:00", timezone: "America/New_York" };
  assert.equal(isWithinActiveHours(nine, at("2026-03-07T14:30:00Z")), true);
  assert.equal(isWithinActiveHours(nine, at("2026-03-09T13:30:00Z")), true);
  assert.equal(isWithinActiveHours(nine, at("2026-03-09T14:30:00Z")), false);
});
