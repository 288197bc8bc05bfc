// Live events of a run as server-sent events. Each event is one SSE message whose id is its seq, so
// a reconnecting EventSource (Last-Event-ID) resumes exactly where it stopped. New rows are read
// when a recorder commits a batch (lib/recorder/commit-bus.ts; on PostgreSQL also the recorders of
// other instances, lib/recorder/remote-commits.ts), or every FALLBACK_POLL_MS (another process on SQLite); when the run
// is no longer running and every event has been sent, a `status` event says so and the stream ends.
import { getEvents, getRun } from "@/lib/services/runs";
import { followRemoteCommits } from "@/lib/recorder/remote-commits";
import { getDb } from "@/lib/store/db";
import { BadRequestError, parseRunId, respond } from "../../../../_lib/http";
import { commitLatch } from "./commit-latch";
import { formatSse, formatSseComment, formatSseRetry, ResumeError, resumeAfter } from "./sse";

export const dynamic = "force-dynamic";

/** Re-read period when no commit of this process wakes the stream (runs recorded elsewhere). */
const FALLBACK_POLL_MS = 1_000;
const HEARTBEAT_MS = 10_000;
const RETRY_MS = 1_000;
/** Rows per read; a long catch-up is sent in pages of this size without waiting in between. */
const PAGE = 1_000;

/**
 * `limit`: events sent on this connection before it is closed (the EventSource reconnects and
 * resumes after the last one). Lets a client or proxy bound how much one connection carries.
 */
function connectionLimit(raw: string | null): number {
  if (raw === null || raw === "") return Number.POSITIVE_INFINITY;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    throw new BadRequestError("invalid_limit", "limit must be a whole number of events, at least 1.");
  }
  return Number(raw);
}

export async function GET(request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    let after: number;
    try {
      after = resumeAfter(new URL(request.url).searchParams.get("after"), request.headers.get("last-event-id"));
    } catch (error) {
      if (error instanceof ResumeError) throw new BadRequestError(error.code, error.message);
      throw error;
    }
    const limit = connectionLimit(new URL(request.url).searchParams.get("limit"));
    const db = await getDb();
    // Runs another instance records wake the stream too (PostgreSQL notifications).
    void followRemoteCommits(db);
    await getRun(db, runId); // an unknown run is a plain 404, not an empty stream

    const encoder = new TextEncoder();
    let closed = false;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (text: string) => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            closed = true; // the client went away
          }
        };
        const finish = () => {
          if (closed) return;
          closed = true;
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        request.signal.addEventListener("abort", finish);
        // Listening starts before the first read: a commit during any read is never slept through.
        const commits = commitLatch(runId);
        send(formatSseRetry(RETRY_MS));
        let lastBeat = Date.now();
        let sent = 0;
        try {
          while (!closed) {
            // Status first, then events: a run seen as ended has committed all of its events.
            const run = await getRun(db, runId);
            const events = await getEvents(db, runId, { afterSeq: after, limit: Math.min(PAGE, limit - sent) });
            for (const event of events) {
              send(formatSse({ id: event.seq, data: JSON.stringify(event) }));
              after = event.seq;
              sent++;
            }
            if (sent >= limit) {
              // This connection has carried its share; the client reconnects and resumes.
              finish();
              break;
            }
            if (events.length === PAGE) continue;
            if (run.status !== "running") {
              send(formatSse({ event: "status", data: JSON.stringify(run) }));
              finish();
              break;
            }
            if (Date.now() - lastBeat >= HEARTBEAT_MS) {
              send(formatSseComment(`heartbeat ${after}`));
              lastBeat = Date.now();
            }
            // Wake on this process's next commit of the run; poll as the fallback for runs recorded
            // by another process (a CLI) sharing the database file.
            await commits.wait(FALLBACK_POLL_MS, request.signal);
          }
        } catch (error) {
          // The headers are gone already: tell the client in-band, then end (it will reconnect).
          console.error(`[api] event stream of run ${runId} failed`, error);
          send(formatSse({ event: "stream-error", data: JSON.stringify({ code: "stream_failed", message: "Reading new events failed; reconnecting." }) }));
          finish();
        } finally {
          commits.close();
        }
      },
      cancel() {
        closed = true;
      },
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  });
}
