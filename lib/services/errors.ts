// Coded errors for everything a user can get wrong or ask for that does not exist. The CLI prints
// `message`; route handlers answer with `status` and `{ code, message }` through toHttpError.
import { RecorderError } from "@/lib/recorder/recorder";
import { StoreError } from "@/lib/store/errors";

export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = "ServiceError";
    this.code = code;
    this.status = status;
  }
}

export const notFound = (message: string, code = "not_found") => new ServiceError(code, 404, message);
export const invalidInput = (message: string, code = "invalid_input") => new ServiceError(code, 400, message);
export const conflict = (message: string, code = "conflict") => new ServiceError(code, 409, message);
export const unavailable = (message: string, code = "unavailable") => new ServiceError(code, 503, message);
export const internalError = (message: string, code = "internal") => new ServiceError(code, 500, message);

export interface HttpError {
  status: number;
  body: { code: string; message: string };
}

/** Maps any thrown value to an HTTP answer; unexpected errors never leak their details. */
export function toHttpError(err: unknown): HttpError {
  const known = toServiceError(err);
  if (known) return { status: known.status, body: { code: known.code, message: known.message } };
  return { status: 500, body: { code: "internal", message: "Internal error" } };
}

/** The coded form of an error, or null when it is an unexpected failure (a bug). */
export function toServiceError(err: unknown): ServiceError | null {
  if (err instanceof ServiceError) return err;
  if (err instanceof StoreError) {
    const status = err.code === "invalid_database_url" || err.code === "unsupported_database" ? 500 : 503;
    return new ServiceError(err.code, status, err.message);
  }
  // A database that stops taking writes is an outage; a refused seq is a bug (left unmapped).
  if (err instanceof RecorderError && err.code === "write_failed") return new ServiceError("recording_failed", 503, err.message);
  return null;
}
