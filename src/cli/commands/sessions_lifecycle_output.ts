// What `sessions archive|delete` print: one line per key (failures on stderr) in the reference's
// words, or its JSON envelope `{ok, operation, dryRun, results}` (with its failure fields when not ok).
import { printError, printJson, printLine } from "../output.ts";
import { quoteArg } from "../shell_quote.ts";
import { jsonFailure } from "./config_common.ts";

/** `archive` or `delete`. */
export type Operation = "archive" | "delete";

/** One key's outcome, as the reference reports it. */
export interface LifecycleResult {
  key: string;
  ok: boolean;
  status: string;
  error?: string;
  archived?: string[];
}

/** An argument as a shell would need it, as the reference quotes it in its hints. */

/** Prints the results; exit 1 when any key failed. */
export function output(
  operation: Operation,
  dryRun: boolean,
  results: LifecycleResult[],
  json: boolean,
  owners = new Map<LifecycleResult, string | undefined>(),
): number {
  const ok = results.every((r) => r.ok);
  if (json) {
    printJson(
      ok ? { ok, operation, dryRun, results } : {
        ...jsonFailure(`Session ${operation} did not complete for every requested key.`),
        operation,
        dryRun,
        results,
      },
    );
    return ok ? 0 : 1;
  }
  for (const result of results) {
    if (result.status === "archived") printLine(`Archived session ${result.key}.`);
    else if (result.status === "already_archived") printLine(`Session ${result.key} is already archived.`);
    else if (result.status === "deleted") {
      printLine(`Deleted session ${result.key}.`);
      for (const archived of result.archived ?? []) printLine(`Archived transcript: ${archived}`);
      if ((result.archived ?? []).length > 0) {
        printLine("Archived transcripts can remain eligible for memory search.");
        const agentId = owners.get(result);
        printLine(
          agentId
            ? `To remove indexed memories for this session, run openclaw memory forget --agent ${
              quoteArg(agentId)
            } --session ${quoteArg(result.key)} on the Gateway host or container using its state and configuration.`
            : "Run openclaw memory forget on the Gateway host or container using its state and configuration; select the owning agent with --agent and this session with --session.",
        );
      }
    } else if (result.status === "would_archive") printLine(`[dry-run] archive session ${result.key}`);
    else if (result.status === "would_delete") {
      printLine(`[dry-run] delete session ${result.key} and its live transcript state`);
    } else printError(`${operation} ${result.key}: ${result.error ?? "Unknown failure."}`);
  }
  return ok ? 0 : 1;
}
