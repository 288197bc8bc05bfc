export type ConformanceErrorCode = "parse_error" | "too_large";

export class ConformanceError extends Error {
  readonly code: ConformanceErrorCode;
  /** 1-based line of the Mermaid text the error is about, when there is one. */
  readonly line: number | null;
  constructor(code: ConformanceErrorCode, message: string, line: number | null = null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = "ConformanceError";
    this.code = code;
    this.line = line;
  }
}
