// Which node `--node <idOrNameOrIp>` means, by the reference's rules: an exact id, then an exact
// IP, then a display name (compared as a normalized key) or an id prefix of six or more
// characters; within the strongest match a connected node wins. The reference's words for an
// unknown or ambiguous query are kept word for word (`unknown node: …`, `ambiguous node: …`).

/** The fields of a `node.list` row that node matching reads. */
export interface NodeCandidate {
  nodeId: string;
  displayName?: string | undefined;
  remoteIp?: string | undefined;
  clientId?: string | undefined;
  connected?: boolean | undefined;
}

/** A name as a lookup key: lower case, NFC, runs of anything but letters, marks and digits as one `-`. */
export function normalizeNodeKey(value: string): string {
  return value.normalize("NFC").toLowerCase()
    .replace(/(?=\p{M})\p{Emoji_Component}/gu, "")
    .replace(/(?<![\p{L}\p{M}\p{N}])\p{M}+/gu, "")
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, "-")
    .replace(/^-+/, "")
    .replace(/-+$/, "");
}

function labelOf(node: NodeCandidate): string {
  return node.displayName || node.remoteIp || node.nodeId;
}

function candidateLabel(node: NodeCandidate): string {
  const details = [`node=${node.nodeId}`];
  const clientId = node.clientId?.trim();
  if (clientId) details.push(`client=${clientId}`);
  return `${labelOf(node)} [${details.join(", ")}]`;
}

function matchScore(node: NodeCandidate, query: string, normalized: string): number {
  const name = node.displayName ? normalizeNodeKey(node.displayName) : "";
  if (name && name === normalized) return 2000;
  if (query.length >= 6 && node.nodeId.startsWith(query)) return 1000;
  return 0;
}

// The migration exception: one current `openclaw-*` client wins a tie only against legacy clients.
function legacyMigrationPick(matches: NodeCandidate[]): NodeCandidate | undefined {
  const client = (m: NodeCandidate) => m.clientId?.trim().toLowerCase() ?? "";
  const current = matches.filter((m) => client(m).startsWith("openclaw-"));
  if (current.length !== 1) return undefined;
  const legacy = matches.filter((m) => client(m).startsWith("clawdbot-") || client(m).startsWith("moldbot-")).length;
  return legacy > 0 && current.length + legacy === matches.length ? current[0] : undefined;
}

/** The node `query` names among `nodes`; throws the reference's words when none or several match. */
export function resolveNodeQuery<T extends NodeCandidate>(nodes: readonly T[], query: string): T {
  const q = query.trim();
  if (!q) throw new Error("node required");
  let strongest = nodes.filter((n) => n.nodeId === q);
  if (strongest.length === 0) strongest = nodes.filter((n) => n.remoteIp === q);
  if (strongest.length === 0) {
    const normalized = normalizeNodeKey(q);
    const scored = nodes.map((n) => ({ n, score: matchScore(n, q, normalized) }));
    const top = Math.max(0, ...scored.map((s) => s.score));
    strongest = top > 0 ? scored.filter((s) => s.score === top).map((s) => s.n) : [];
  }
  if (strongest.length === 0) {
    const known = nodes.map(labelOf).filter(Boolean).join(", ");
    throw new Error(`unknown node: ${q}${known ? ` (known: ${known})` : ""}`);
  }
  const connected = strongest.filter((n) => n.connected === true);
  const matches = connected.length > 0 ? connected : strongest;
  if (matches.length === 1) return matches[0]!;
  const preferred = legacyMigrationPick(matches);
  if (preferred) return preferred as T;
  throw new Error(`ambiguous node: ${q} (matches: ${matches.map(candidateLabel).join(", ")})`);
}
