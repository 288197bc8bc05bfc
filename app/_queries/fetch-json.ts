// The browser side of the API: one fetch helper that turns the API's `{code, message}` error bodies
// into a typed error, so views can show the message and queries can skip retrying client errors.

/** An error answered by the API (or a network failure, with status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function isErrorBody(body: unknown): body is { code: string; message: string } {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { code?: unknown }).code === "string" &&
    typeof (body as { message?: unknown }).message === "string"
  );
}

const unreachable = () => new ApiError(0, "network_error", "The server could not be reached.");

/** The error a non-2xx answer stands for: the API's own `{code, message}`, else its status. */
function answerError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body.code, body.message);
  return new ApiError(status, "http_error", `The server answered with status ${status}.`);
}

export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw unreachable();
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw answerError(response.status, body);
  return body as T;
}

/** How much of an upload has been sent. */
export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * POSTs a file as it is (the browser reads it from disk as it sends), reporting how much has been
 * sent: fetch cannot tell, XMLHttpRequest can. Errors are ApiErrors, as with fetchJson.
 */
export function uploadJson<T>(path: string, file: Blob, onProgress?: (progress: UploadProgress) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", path);
    request.setRequestHeader("accept", "application/json");
    request.setRequestHeader("content-type", "application/json");
    request.upload.onprogress = (event) => onProgress?.({ sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    request.onerror = () => reject(unreachable());
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText) as unknown;
      } catch {
        // Not JSON: answered below by its status.
      }
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else reject(answerError(request.status, body));
    };
    request.send(file);
  });
}

/** Client errors (4xx) will not change on a retry; network and server errors might. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ApiError && error.status >= 400 && error.status < 500);
}
