// Reference Mermaid diagrams → expected flows, and how a recorded flow compares with them. Pure.
import { compareFlows, type ConformanceReport, type FlowInput } from "./compare";
import { parseMermaidSequence } from "./parse";

export { parseMermaidSequence, type ParsedSequence } from "./parse";
export {
  compareFlows,
  wordsOf,
  MAX_COMPARED_PAIRS,
  type ConformanceReport,
  type Diff,
  type FlowInput,
} from "./compare";
export { formatReport } from "./report";
export { describeItem } from "./describe";
export { lifelineKeys } from "./lifeline-roles";
export { ConformanceError, type ConformanceErrorCode } from "./errors";

/** Parses a reference diagram and compares a flow with it. */
export function checkConformance(referenceText: string, actual: FlowInput): ConformanceReport {
  return compareFlows(parseMermaidSequence(referenceText), actual);
}
