// Tool-call ids as a wire accepts them. Ids come from whichever provider answered a step (Kimi's
// `functions.echo:0`, a local server's `call 1`), and a later turn may go to Anthropic, which
// refuses any id outside ^[a-zA-Z0-9_-]+$. As the reference's "strict" mode, such an id is
// stripped to its letters and digits and capped at 40 characters; every id of one prompt stays
// unique, and a result gets the id its call got.
import { sha256Hex } from "./sha256_hex.ts";

const ANTHROPIC_TOOL_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LEN = 40;

function shortHash(text: string): string {
  return sha256Hex(text).slice(0, 8);
}

/** The reference's strict sanitizing: letters and digits only, a fixed id when nothing is left. */
function strictId(id: string): string {
  return id.replace(/[^a-zA-Z0-9]/g, "") || "sanitizedtoolid";
}

/** Maps one prompt's call and result ids consistently: calls in order, each result to its call's id. */
export interface WireToolIds {
  /** The id a tool call goes out with. */
  call(id: string): string;
  /** The id a tool result goes out with: its call's, when the call was mapped in this prompt. */
  result(id: string): string;
}

/** A mapper for one Anthropic prompt: native-looking ids stay, others become strict ids, all unique. */
export function anthropicToolIds(): WireToolIds {
  const used = new Set<string>();
  const pending = new Map<string, string[]>();
  const allocate = (id: string): string => {
    const base = ANTHROPIC_TOOL_ID.test(id) ? id : strictId(id).slice(0, MAX_LEN);
    if (!used.has(base)) return base;
    const hashed = `${base.slice(0, MAX_LEN - 8)}${shortHash(id)}`;
    if (!used.has(hashed)) return hashed;
    for (let i = 2;; i++) {
      const next = `${hashed.slice(0, MAX_LEN - `x${i}`.length)}x${i}`;
      if (!used.has(next)) return next;
    }
  };
  return {
    call: (id) => {
      const safe = allocate(id);
      used.add(safe);
      const queue = pending.get(id);
      if (queue) queue.push(safe);
      else pending.set(id, [safe]);
      return safe;
    },
    result: (id) => {
      const queue = pending.get(id);
      const safe = queue?.shift();
      if (queue?.length === 0) pending.delete(id);
      if (safe !== undefined) return safe;
      const orphan = allocate(id);
      used.add(orphan);
      return orphan;
    },
  };
}

/** Ids passed through unchanged (a wire without id rules). */
export const unchangedToolIds: WireToolIds = { call: (id) => id, result: (id) => id };
