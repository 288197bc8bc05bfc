// Does a recorded run draw the same flow as a reference diagram?
import { compareFlows, ConformanceError, parseMermaidSequence, type ConformanceReport } from "@/lib/conformance";
import { buildFlow } from "@/lib/diagram";
import type { Db } from "@/lib/store/db";
import { invalidInput } from "./errors";
import { getRun } from "./run-queries";
import { selectEvents } from "./selection";

export interface ConformQuery {
  runId: string;
  actorId?: string;
  /** The reference Mermaid sequence diagram. */
  referenceText: string;
}

/** Compares the default-detail diagram of the actor's whole run with the reference. */
export async function conformRun(db: Db, query: ConformQuery): Promise<ConformanceReport> {
  const run = await getRun(db, query.runId);
  const { events } = await selectEvents(db, run, { actorId: query.actorId });
  try {
    const expected = parseMermaidSequence(query.referenceText);
    return compareFlows(expected, buildFlow(events, { detail: "default" }));
  } catch (err) {
    if (err instanceof ConformanceError) {
      const code = err.code === "parse_error" ? "reference_parse_error" : "selection_too_large";
      throw invalidInput(`Reference diagram: ${err.message}`, code);
    }
    throw err;
  }
}
