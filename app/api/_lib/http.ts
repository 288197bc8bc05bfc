// The edge between HTTP and the services: parse input with zod, turn every failure into a JSON body
// `{code, message}` with a fitting status. A user never sees a stack trace; the server log does.
import "server-only";
import { ZodError, type z } from "zod";
import { toHttpError } from "@/lib/services/errors";

/** A request the API refuses before any service runs (malformed JSON and the like). */
export class BadRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "BadRequestError";
  }
}

function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    return Response.json({ code: "invalid_request", message: describeZodError(error) }, { status: 400 });
  }
  if (error instanceof BadRequestError) {
    return Response.json({ code: error.code, message: error.message }, { status: 400 });
  }
  const { status, body } = toHttpError(error);
  if (status >= 500) console.error("[api] unexpected error", error);
  return Response.json({ code: body.code, message: body.message }, { status });
}

/** Runs a handler and maps whatever it throws to an error response. */
export async function respond(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return errorResponse(error);
  }
}

export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") throw new BadRequestError("invalid_json", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError("invalid_json", "The request body is not valid JSON.");
  }
}

/** Parses the URL's query string with `schema` (absent parameters are simply missing keys). */
export function parseSearchParams<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return schema.parse(params);
}

/** A run id as it appears in a URL: non-empty and of sane length. */
export function parseRunId(raw: string): string {
  if (raw.length === 0 || raw.length > 200) throw new BadRequestError("invalid_run_id", "The run id is not valid.");
  return raw;
}
