// `approvals.exec`: where exec approval prompts are forwarded besides the operators' clients, as
// the reference reads it (`enabled`, `mode` session|targets|both, `agentFilter`, `sessionFilter`,
// `targets[]` of channel/to/accountId/threadId).
import { isJsonObject } from "../log/json_object.ts";

/** One chat an approval prompt is sent to. */
export interface ForwardTarget {
  channel: string;
  to: string;
  accountId?: string | undefined;
  threadId?: string | undefined;
}

/** `approvals.exec` after defaults; undefined when forwarding is off. */
export interface ExecApprovalsForwarding {
  mode: "session" | "targets" | "both";
  agentFilter?: string[] | undefined;
  sessionFilter?: string[] | undefined;
  targets: ForwardTarget[];
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "") : undefined;
}

/** Reads `approvals.exec` from the config as written; forwarding is on only with `enabled: true`. */
export function execApprovalsForwarding(config: Record<string, unknown>): ExecApprovalsForwarding | undefined {
  const approvals = isJsonObject(config.approvals) ? config.approvals : undefined;
  const exec = approvals && isJsonObject(approvals.exec) ? approvals.exec : undefined;
  if (!exec || exec.enabled !== true) return undefined;
  const mode = exec.mode === "targets" || exec.mode === "both" ? exec.mode : "session";
  const targets = (Array.isArray(exec.targets) ? exec.targets : []).flatMap((t): ForwardTarget[] => {
    if (!isJsonObject(t) || typeof t.channel !== "string" || typeof t.to !== "string") return [];
    return [{
      channel: t.channel,
      to: t.to,
      accountId: typeof t.accountId === "string" ? t.accountId : undefined,
      threadId: typeof t.threadId === "string" || typeof t.threadId === "number" ? String(t.threadId) : undefined,
    }];
  });
  return { mode, agentFilter: strings(exec.agentFilter), sessionFilter: strings(exec.sessionFilter), targets };
}

/** Whether a session key passes `sessionFilter`: each entry a substring, or a regex when it parses as one. */
export function sessionFilterMatches(filter: readonly string[] | undefined, sessionKey: string): boolean {
  if (!filter || filter.length === 0) return true;
  return filter.some((entry) => {
    if (sessionKey.includes(entry)) return true;
    try {
      return new RegExp(entry).test(sessionKey);
    } catch {
      return false;
    }
  });
}
