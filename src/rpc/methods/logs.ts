import { tailLog } from "../../log/tail.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of `logs.tail`. */
export interface LogsDeps {
  /** The file the gateway writes to now (it changes at midnight with daily files). */
  logFile(): string;
}

/** `logs.tail`: cursor-based reads of the JSON log file. */
export function logsMethods(deps: LogsDeps): MethodTable {
  return {
    "logs.tail": validated("operator.read", "validateLogsTailParams", ({ params }) => tailLog(deps.logFile(), params)),
  };
}
