// The use cases the CLI and the route handlers call.
export * from "./errors";
export * from "./runs";
export { diagramText, DIAGRAM_DETAILS, type DiagramDetail, type DiagramQuery, type DiagramResult } from "./diagrams";
export { conformRun, type ConformQuery } from "./conformance";
export { exportRun, importBundle } from "./bundles";
export { checkRecordedRun } from "./check";
export { selectEvents, runCycles, loadRunTrace, type Selection, type SelectionQuery } from "./selection";
