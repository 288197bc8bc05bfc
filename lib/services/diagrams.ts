// Mermaid text of a selection of a recorded run (one cycle, all cycles, or the actor's whole run).
import { buildFlow, DiagramError, renderMermaid, type DiagramOptions, type DiagramParticipant, type FlowItem } from "@/lib/diagram";
import type { Db } from "@/lib/store/db";
import type { TraceEvent } from "@/lib/trace/types";
import { invalidInput } from "./errors";
import { getRun } from "./run-queries";
import { selectEvents, type SelectionQuery } from "./selection";

export type DiagramDetail = NonNullable<DiagramOptions["detail"]>;
export const DIAGRAM_DETAILS: readonly DiagramDetail[] = ["default", "full"];

export interface DiagramQuery extends SelectionQuery {
  runId: string;
  detail?: DiagramDetail;
  /** Further drawing options (runner lifelines, hidden roles/types, highlight). */
  options?: Omit<DiagramOptions, "detail">;
}

export interface DiagramResult {
  text: string;
  items: FlowItem[];
  participants: DiagramParticipant[];
  events: TraceEvent[];
  /** The actor drawn (null when the run has no actor) and the cycle, when one was chosen. */
  actorId: string | null;
  cycleId: string | null;
}

export async function diagramText(db: Db, query: DiagramQuery): Promise<DiagramResult> {
  if (query.detail !== undefined && !DIAGRAM_DETAILS.includes(query.detail)) {
    throw invalidInput(`Detail must be one of ${DIAGRAM_DETAILS.join(", ")}, not "${String(query.detail)}"`);
  }
  const run = await getRun(db, query.runId);
  const selection = await selectEvents(db, run, query);
  const options: DiagramOptions = { ...query.options, detail: query.detail ?? "default" };
  try {
    const flow = buildFlow(selection.events, options);
    return {
      text: renderMermaid(flow, options),
      items: flow.items,
      participants: flow.participants,
      events: selection.events,
      actorId: selection.actorId,
      cycleId: selection.cycle?.id ?? null,
    };
  } catch (err) {
    if (err instanceof DiagramError) throw invalidInput(err.message, err.code);
    throw err;
  }
}
