// Who is asking, as server.ts decided it (`x-wakeline-access`, the same JSON as GET /api/access).
// server.ts already keeps viewers inside their run; this refuses the few owner-only reads that lie
// inside a run's paths (its share links).
import "server-only";
import { ServiceError } from "@/lib/services/errors";

export interface RequestAccess {
  role: "owner" | "viewer";
  runId: string | null;
}

/** The access of a request; without the header (tests calling a handler directly) an owner. */
export function requestAccess(headers: Headers): RequestAccess {
  const raw = headers.get("x-wakeline-access");
  if (!raw) return { role: "owner", runId: null };
  try {
    const value = JSON.parse(raw) as Partial<RequestAccess>;
    if (value.role === "viewer") return { role: "viewer", runId: typeof value.runId === "string" ? value.runId : null };
    if (value.role === "owner") return { role: "owner", runId: null };
  } catch {
    // fall through: an unreadable header gives no rights
  }
  return { role: "viewer", runId: null };
}

export function requireOwner(request: Request): void {
  if (requestAccess(request.headers).role !== "owner") {
    throw new ServiceError("owner_only", 403, "Only the server's owners can do this; a share link gives read access to the run.");
  }
}
