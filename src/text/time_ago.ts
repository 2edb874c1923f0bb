// A past moment as the reference words it in its status card and session tables.

/** How long ago, as the reference words it (`just now`, `5m ago`, `3h ago` under 48 hours, `2d ago`). */
export function timeAgo(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "unknown";
  const minutes = Math.round(Math.round(ms / 1000) / 60);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.round(hours / 24)}d ago`;
}
