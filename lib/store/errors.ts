/** A failure of the storage layer with a stable code (mapped to a user-facing error by services). */
export class StoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "StoreError";
    this.code = code;
  }
}
