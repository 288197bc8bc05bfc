// Does a recorded run draw the same flow as a reference diagram?
import { compareFlows, ConformanceError, parseMermaidSequence, type ConformanceReport } from "@/lib/conformance";
import { buildFlow } from "@/lib/diagram";
import { conformRealFlow } from "@/lib/history/conformance";
import type { Db } from "@/lib/store/db";
import { invalidInput } from "./errors";
import { getRun } from "./run-queries";
import { selectEvents } from "./selection";

export interface ConformQuery {
  runId: string;
  actorId?: string;
  /** The reference Mermaid sequence diagram. */
  referenceText: string;
  /** Only the actor's N-th wake/sleep cycle (from 1) instead of its whole run. */
  cycle?: number;
  /**
   * Read the reference as the real Rivet engine works (lib/history/conformance.ts): Runner
   * Workflow relays bypassed, only lifelines both sides draw, the reference's leading notes skipped.
   */
  realEngine?: boolean;
}

/** Compares the default-detail diagram of the actor's whole run (or one cycle) with the reference. */
export async function conformRun(db: Db, query: ConformQuery): Promise<ConformanceReport> {
  const run = await getRun(db, query.runId);
  const { events } = await selectEvents(db, run, { actorId: query.actorId, cycle: query.cycle });
  try {
    const actual = buildFlow(events, { detail: "default" });
    if (query.realEngine) return conformRealFlow(query.referenceText, actual, { ignorePreconditions: true });
    return compareFlows(parseMermaidSequence(query.referenceText), actual);
  } catch (err) {
    if (err instanceof ConformanceError) {
      const code = err.code === "parse_error" ? "reference_parse_error" : "selection_too_large";
      throw invalidInput(`Reference diagram: ${err.message}`, code);
    }
    throw err;
  }
}
