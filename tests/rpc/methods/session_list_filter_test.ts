import assert from "node:assert/strict";
import { matchesListFilter } from "../../../src/rpc/methods/session_list_filter.ts";
import type { SessionRow } from "../../../src/sessions/store.ts";

const now = 10_000_000;
const row: SessionRow = {
  key: "agent:main:work",
  agentId: "main",
  sessionId: "s",
  createdAt: 0,
  updatedAt: now - 5 * 60_000,
  messageCount: 0,
  lastPreview: null,
  label: "Quarterly Report",
};

Deno.test("sessions.list filters: recency, label and search match; spawned, archived and others' sessions none", () => {
  assert.equal(matchesListFilter(row, {}, now), true);
  assert.equal(matchesListFilter(row, { activeMinutes: 10 }, now), true);
  assert.equal(matchesListFilter(row, { activeMinutes: 1 }, now), false);
  assert.equal(matchesListFilter(row, { label: "Quarterly Report" }, now), true);
  assert.equal(matchesListFilter(row, { label: "Other" }, now), false);
  assert.equal(matchesListFilter(row, { search: "quarterly" }, now), true);
  assert.equal(matchesListFilter(row, { search: "main:work" }, now), true);
  assert.equal(matchesListFilter(row, { search: "nothing" }, now), false);
  assert.equal(matchesListFilter(row, { spawnedBy: "agent:main:main" }, now), false);
  assert.equal(matchesListFilter(row, { archived: true }, now), false);
  assert.equal(matchesListFilter(row, { archived: "all" }, now), true);
  assert.equal(matchesListFilter(row, { ownerId: "someone-else" }, now), false);
  assert.equal(matchesListFilter(row, { creatorId: "gateway-owner" }, now), true);
});

Deno.test('sessions.list leaves archived sessions out unless archived: true or "all" asks for them', () => {
  const archived: SessionRow = { ...row, archivedAt: now - 1000 };
  assert.equal(matchesListFilter(archived, {}, now), false);
  assert.equal(matchesListFilter(archived, { archived: false }, now), false);
  assert.equal(matchesListFilter(archived, { archived: true }, now), true);
  assert.equal(matchesListFilter(archived, { archived: "all" }, now), true);
  assert.equal(matchesListFilter(row, { archived: false }, now), true);
});

Deno.test("sessions.list's newer filters (2026.9.6): cron and sub-agent keys excluded, active runs only, pinned or not, none boarded", () => {
  const cron: SessionRow = { ...row, key: "agent:main:cron:nightly" };
  const sub: SessionRow = { ...row, key: "agent:main:subagent:abc" };
  assert.equal(matchesListFilter(cron, { excludeCron: true }, now), false);
  assert.equal(matchesListFilter(cron, { excludeCron: false }, now), true);
  assert.equal(matchesListFilter(row, { excludeCron: true, excludeSubagents: true, excludeSystem: true }, now), true);
  assert.equal(matchesListFilter(sub, { excludeSubagents: true }, now), false);
  assert.equal(matchesListFilter(sub, { excludeCron: true }, now), true);
  assert.equal(matchesListFilter(row, { activeOnly: true }, now, (r) => r.key === row.key), true);
  assert.equal(matchesListFilter(row, { activeOnly: true }, now, () => false), false);
  assert.equal(matchesListFilter(row, { pinned: true }, now), false);
  assert.equal(matchesListFilter(row, { pinned: false, hasBoard: false }, now), true);
  const pinned: SessionRow = { ...row, pinnedAt: now - 1 };
  assert.equal(matchesListFilter(pinned, { pinned: true }, now), true);
  assert.equal(matchesListFilter(pinned, { pinned: false }, now), false);
  assert.equal(matchesListFilter({ ...sub, pinnedAt: now - 1 }, { pinned: true }, now), false, "a sub-agent's pin");
  assert.equal(matchesListFilter(row, { hasBoard: true }, now), false);
  assert.equal(matchesListFilter(row, { group: "" }, now), true);
  assert.equal(matchesListFilter(row, { group: "Work" }, now), false);
  assert.equal(matchesListFilter(row, { projectId: "p1" }, now), false);
  assert.equal(matchesListFilter(row, { workspaceDir: "/tmp/w" }, now), false);
});
