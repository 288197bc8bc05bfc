// A run's bundle, whole (exportRun) or as text written as it is read (exportRunText): there the
// events come from the database a page at a time, so exporting a run of millions of events holds
// one page, not the run. The text is exactly `JSON.stringify(bundle, null, 2)` of the whole
// bundle (tested).
import type { Db } from "@/lib/store/db";
import { loadCycles, loadEvents } from "@/lib/store/trace-store";
import type { RunInfo, TraceBundle } from "@/lib/trace/types";
import { getRun } from "./run-queries";
import { loadRunTrace } from "./selection";

/** Events read from the database at a time. */
const PAGE = 2_000;

/** `value` as JSON.stringify(…, null, 2) writes it at `depth` levels of nesting. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

/** The run's whole bundle, events and cycles held at once. */
export async function exportRun(db: Db, runId: string): Promise<TraceBundle> {
  return wholeBundle(db, await getRun(db, runId));
}

async function wholeBundle(db: Db, run: RunInfo): Promise<TraceBundle> {
  const { events, cycles } = await loadRunTrace(db, run);
  return { format: "wakeline-bundle", version: 1, run: { ...run, eventCount: events.length }, events, cycles };
}

/**
 * The run (with its event count) and its bundle's text in pieces. The run is looked up first, so
 * a missing one fails before any text (a 404, not a cut-off download). A run still recording is
 * exported as it stands: its cycles are computed from all its events, so it is read whole.
 */
export async function exportRunText(db: Db, runId: string): Promise<{ run: RunInfo; pieces: AsyncGenerator<string> }> {
  const run = await getRun(db, runId);
  if (run.status === "running") {
    const bundle = await wholeBundle(db, run);
    return {
      run: bundle.run,
      pieces: (async function* () {
        yield JSON.stringify(bundle, null, 2);
      })(),
    };
  }
  const [eventCount, cycles] = await Promise.all([db.event.count({ where: { runId } }), loadCycles(db, runId)]);
  const counted = { ...run, eventCount };
  return { run: counted, pieces: pieces(db, counted, cycles) };
}

async function* pieces(db: Db, run: RunInfo, cycles: TraceBundle["cycles"]): AsyncGenerator<string> {
  yield `{\n  "format": "wakeline-bundle",\n  "version": 1,\n  "run": ${nested(run, 1)},\n  "events": [`;
  let afterSeq = 0;
  let first = true;
  for (;;) {
    const page = await loadEvents(db, run.id, { afterSeq, limit: PAGE });
    if (page.length === 0) break;
    yield `${first ? "" : ","}${page.map((event) => `\n    ${nested(event, 2)}`).join(",")}`;
    first = false;
    afterSeq = page[page.length - 1].seq;
  }
  yield `${first ? "" : "\n  "}],\n  "cycles": [`;
  yield cycles.map((cycle) => `\n    ${nested(cycle, 2)}`).join(",");
  yield `${cycles.length === 0 ? "" : "\n  "}]\n}`;
}
