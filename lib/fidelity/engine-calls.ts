// Calls every client makes the same way on both engines: the engine API and the gateway, through
// the address the side gives (the embedded engine itself, or the proxy in front of the real one).
import { waitFor } from "@/lib/proxy/testing/wait";
import type { ClientAnswer } from "./types";

export interface EngineCalls {
  url: string;
  // The engine's JSON answers are read loosely: only a few fields matter here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api(method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A gateway request to the actor; the answer as the client sees it. */
  request(actorId: string, path: string, timeoutMs?: number): Promise<ClientAnswer>;
  /** Whether the engine reports the actor asleep (`sleep_ts` set). */
  isAsleep(actorId: string): Promise<boolean>;
  /**
   * Waits until the engine reports the actor asleep and, given its pool, until the engine has freed
   * its slot: the real engine sets `sleep_ts` at the sleep intent, before the actor has stopped,
   * and frees the slot once the workflow has handled the stop. (`GET /runners` answers on the real
   * engine only; where it does not, `sleep_ts` is all there is to wait for.)
   */
  waitAsleep(actorId: string, pool?: string, timeoutMs?: number): Promise<void>;
}

export function engineCalls(url: string): EngineCalls {
  return {
    url,
    async api(method, pathAndQuery, body) {
      const response = await fetch(`${url}${pathAndQuery}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed };
    },
    async request(actorId, path, timeoutMs = 40_000) {
      try {
        const response = await fetch(`${url}/gateway/${actorId}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
        return answerOf(response.status, response.headers.get("x-rivet-error"), await response.text());
      } catch (err) {
        return { status: 0, code: err instanceof Error && err.name === "TimeoutError" ? "client.timeout" : "client.unreachable" };
      }
    },
    async isAsleep(actorId) {
      const answer = await this.api("GET", `/actors?namespace=default&actor_ids=${actorId}`);
      const actor = answer.body?.actors?.[0];
      return actor !== undefined && actor.sleep_ts !== null && actor.sleep_ts !== undefined;
    },
    async waitAsleep(actorId, pool, timeoutMs = 20_000) {
      await waitFor(`actor ${actorId} to be asleep`, () => this.isAsleep(actorId), timeoutMs);
      if (pool === undefined) return;
      await waitFor(`the slot of actor ${actorId} to be free`, async () => {
        const answer = await this.api("GET", `/runners?namespace=default&name=${encodeURIComponent(pool)}`);
        const runners: { remaining_slots?: unknown; total_slots?: unknown }[] | undefined = answer.body?.runners;
        if (answer.status !== 200 || !Array.isArray(runners)) return true;
        return runners.every((r) => typeof r.remaining_slots !== "number" || r.remaining_slots === r.total_slots);
      }, timeoutMs);
    },
  };
}

/** Status and `group.code` (from `x-rivet-error`, else a `{group, code}` body). */
export function answerOf(status: number, errorHeader: string | null, body: string): ClientAnswer {
  if (status < 400) return { status, code: null };
  if (errorHeader) return { status, code: errorHeader };
  try {
    const parsed = JSON.parse(body) as { group?: unknown; code?: unknown };
    if (typeof parsed.code === "string") return { status, code: typeof parsed.group === "string" ? `${parsed.group}.${parsed.code}` : parsed.code };
  } catch {
    // not JSON
  }
  return { status, code: null };
}
