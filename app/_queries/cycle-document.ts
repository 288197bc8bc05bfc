// What a cycle page opened as a document shows first, decided in one place for the two callers
// that need it: the page itself (app/runs/[runId]/cycles/[ordinal]/page.tsx) and server.ts, which
// sends a recorded cycle's first drawing ahead of the page (lib/transport/document-rewrite.ts).
// Next.js writes a page's first byte only once the whole page is rendered, tens of milliseconds of
// CPU the browser would spend waiting before it can even start Mermaid; the drawing needs only the
// cycle's events and the link's view settings. Each caller reads through its own source: the page
// through its query client (what it reads goes to the browser with the page), server.ts straight
// from the services. No `server-only` here: server.ts runs outside Next.js' bundler.
import { randomUUID } from "node:crypto";
import type { FirstDrawing } from "@/components/early-drawing-prelude";
import { lastSelected, loadCycleSelection, type CycleSelectionResult } from "@/lib/services/cycle-selection";
import { toHttpError } from "@/lib/services/errors";
import { getRun } from "@/lib/services/run-queries";
import { firstActorId, runCycles } from "@/lib/services/selection";
import type { Db } from "@/lib/store/db";
import { CYCLE_PAGE_PATH } from "@/lib/transport/document-rewrite";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { earlyDiagramText } from "../_views/cycle/cycle-diagram";
import type { CycleSelection } from "../_views/cycle/queries";
import { parseViewState, type ParamReader } from "../_views/cycle/view-state";

/**
 * Cycles of up to this many events go to the browser with the page, so it needs no second round
 * trip; a larger one's are left to the browser to fetch: serialising thousands of events into the
 * page would hold its first byte back.
 */
const PREFETCH_MAX_EVENTS = 1_500;

/** Where a plan reads from. `run` and `cycles` reject with the services' not-found error. */
export interface CycleDocumentSource {
  run(): Promise<RunInfo>;
  cycles(): Promise<CycleInfo[]>;
  /** The run's first actor: the one a link without `actor=` means. */
  firstActor(): Promise<string | null>;
  /** Events of cycles `ordinal` … `through` of `actorId`; `withPage`: they go to the browser with the page. */
  selection(actorId: string, ordinal: number, through: number | null, withPage: boolean): Promise<CycleSelection>;
}

export type CycleDocument =
  | { kind: "not-found" }
  /** A live run's cycle, recorded or not yet begun: the view streams it (and waits for it). */
  | { kind: "live"; ordinal: number; actorId: string }
  | {
      kind: "recorded";
      ordinal: number;
      actorId: string;
      /** The first drawing's Mermaid text; null when there is nothing to draw or it is too long. */
      earlyText: string | null;
      /** The selection's events go with the page (see PREFETCH_MAX_EVENTS). */
      sentWithPage: boolean;
    };

function parseOrdinal(raw: string): number | null {
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
}

/** Decides the page for cycle `rawOrdinal` (as in the path) with the link's query `params`. */
export async function planCycleDocument(source: CycleDocumentSource, rawOrdinal: string, params: ParamReader): Promise<CycleDocument> {
  const ordinal = parseOrdinal(rawOrdinal);
  if (ordinal === null) return { kind: "not-found" };
  const askedActor = params.get("actor");
  let run: RunInfo;
  let firstActor: string | null;
  let cycles: CycleInfo[];
  try {
    [run, firstActor, cycles] = await Promise.all([source.run(), askedActor === null ? source.firstActor() : Promise.resolve(null), source.cycles()]);
  } catch (error) {
    if (toHttpError(error).status === 404) return { kind: "not-found" };
    throw error;
  }
  // Ordinals count per actor; without an actor in the link, the run's first actor is meant.
  const actorId = askedActor ?? firstActor;
  if (actorId === null) return { kind: "not-found" };
  // A live run's cycle that has not started yet is a page that waits for it (the view streams).
  if (run.status === "running") return { kind: "live", ordinal, actorId };
  if (!cycles.some((cycle) => cycle.actorId === actorId && cycle.ordinal === ordinal)) return { kind: "not-found" };

  const state = parseViewState(params);
  const last = lastSelected(ordinal, state.through);
  const size = cycles.filter((cycle) => cycle.actorId === actorId && cycle.ordinal >= ordinal && cycle.ordinal <= last).reduce((sum, cycle) => sum + cycle.eventCount, 0);
  const sentWithPage = size <= PREFETCH_MAX_EVENTS;
  // A read that fails here only costs the first drawing: the browser reads again and says why.
  const events = await source
    .selection(actorId, ordinal, state.through, sentWithPage)
    .then((selection) => selection.events)
    .catch(() => []);
  return { kind: "recorded", ordinal, actorId, earlyText: earlyDiagramText(events, state), sentWithPage };
}

/** What server.ts read to draw a cycle, handed to the page so that it does not read it again. */
export interface HandedReads {
  run: RunInfo;
  cycles: CycleInfo[];
  /** The selection, and the arguments it was read with. */
  selection: { key: string; value: CycleSelectionResult };
}

const selectionKey = (actorId: string, ordinal: number, through: number | null) => JSON.stringify([actorId, ordinal, through]);

/** A source reading straight from the services, each read once; `handed`: the reads made. */
function servicesSource(db: Db, runId: string): CycleDocumentSource & { handed(): Promise<HandedReads | null> } {
  let run: Promise<RunInfo> | null = null;
  let cycles: Promise<CycleInfo[]> | null = null;
  let selection: { key: string; value: Promise<CycleSelectionResult> } | null = null;
  const source = {
    run: () => (run ??= getRun(db, runId)),
    cycles: () => (cycles ??= source.run().then((read) => runCycles(db, read))),
    firstActor: () => firstActorId(db, runId),
    selection: (actorId: string, ordinal: number, through: number | null) => {
      const value = Promise.all([source.run(), source.cycles()]).then(([read, all]) => loadCycleSelection(db, read, actorId, ordinal, lastSelected(ordinal, through), all));
      selection = { key: selectionKey(actorId, ordinal, through), value };
      return value;
    },
    handed: async (): Promise<HandedReads | null> => {
      if (!run || !cycles || !selection) return null;
      return { run: await run, cycles: await cycles, selection: { key: selection.key, value: await selection.value } };
    },
  };
  return source;
}

/** Reads handed over, by token, until the page takes them (or, if it never comes, for a minute). */
const handedOver: Map<string, HandedReads> = ((globalThis as Record<string, unknown>).__wakelineHandedReads ??= new Map<string, HandedReads>()) as Map<
  string,
  HandedReads
>;
const HANDED_FOR_MS = 60_000;

function handOver(reads: HandedReads): string {
  const token = randomUUID();
  handedOver.set(token, reads);
  setTimeout(() => handedOver.delete(token), HANDED_FOR_MS).unref?.();
  return token;
}

/** The reads server.ts handed over under `token`, once. */
export function takeHandedReads(token: string | null): HandedReads | null {
  if (token === null) return null;
  const reads = handedOver.get(token) ?? null;
  handedOver.delete(token);
  return reads;
}

/** The handed selection, if it is the one asked for. */
export function handedSelection(reads: HandedReads | null, actorId: string, ordinal: number, through: number | null): CycleSelectionResult | null {
  return reads && reads.selection.key === selectionKey(actorId, ordinal, through) ? reads.selection.value : null;
}

/** A cycle page's path: `/runs/<run id>/cycles/<ordinal>`, its two parts decoded; null for any other. */
function cyclePagePath(pathname: string): { runId: string; rawOrdinal: string } | null {
  const match = CYCLE_PAGE_PATH.exec(pathname);
  if (!match) return null;
  try {
    return { runId: decodeURIComponent(match[1]), rawOrdinal: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}

/**
 * The first drawing server.ts sends ahead of a cycle page: for a recorded cycle with something to
 * draw, its text, whether the app's code waits for it, and the token under which the reads it took
 * are handed to the page; otherwise null (the page does as usual).
 */
export async function firstDrawingAhead(db: Db, url: URL): Promise<{ drawing: FirstDrawing; token: string } | null> {
  const path = cyclePagePath(url.pathname);
  if (!path) return null;
  const source = servicesSource(db, path.runId);
  const plan = await planCycleDocument(source, path.rawOrdinal, url.searchParams);
  if (plan.kind !== "recorded" || plan.earlyText === null) return null;
  const reads = await source.handed();
  return reads && { drawing: { text: plan.earlyText, holdsApp: plan.sentWithPage }, token: handOver(reads) };
}
