// What a command may touch of the outside world; tests pass their own.
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative file paths are resolved against. */
  cwd: string;
  /** stderr is a terminal: progress may be drawn there. */
  interactive?: boolean;
}

/** Exit codes: 0 success, 1 a failure (including "does not conform" / "violations"), 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Wrong command line: printed with a pointer to the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure to report in one line, exit code 1 (unreadable file, bad content…). */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliFailure";
  }
}
