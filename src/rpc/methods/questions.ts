// `question.list`: agents here never ask the operator a structured question, so none are pending.
import { type MethodTable, validated } from "../registry.ts";

/** `question.list`. */
export function questionsMethods(): MethodTable {
  return {
    "question.list": validated("operator.questions", "validateQuestionListParams", () => ({ questions: [] })),
  };
}
