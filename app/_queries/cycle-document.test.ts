// What a cycle page shows first, and the first drawing server.ts sends ahead of it: decided from a
// real recorded run in a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordEndedAndLive } from "@/lib/services/testing/record";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { wokenTwice } from "@/lib/trace/testing/flows";
import type { RunInfo } from "@/lib/trace/types";
import { earlyDiagramText } from "../_views/cycle/cycle-diagram";
import { parseViewState } from "../_views/cycle/view-state";
import { firstDrawingAhead, handedSelection, takeHandedReads } from "./cycle-document";

let temp: TempDb;
let ended: RunInfo;
let live: RunInfo;

const pageUrl = (runId: string, ordinal: string, query = "actor=a1") => new URL(`http://wakeline/runs/${encodeURIComponent(runId)}/cycles/${ordinal}?${query}`);

beforeAll(async () => {
  temp = await createTempDb();
  ({ ended, live } = await recordEndedAndLive(temp.db, wokenTwice().events));
});

afterAll(async () => {
  await temp.cleanup();
});

describe("firstDrawingAhead", () => {
  it("draws a recorded cycle as the page would, and hands the page what it read, once", async () => {
    const url = pageUrl(ended.id, "2", "actor=a1&detail=full&hide=RW");
    const ahead = await firstDrawingAhead(temp.db, url);
    expect(ahead).not.toBeNull();
    const reads = takeHandedReads(ahead!.token);
    expect(reads?.run.id).toBe(ended.id);
    expect(reads?.cycles.map((cycle) => cycle.ordinal)).toEqual([1, 2]);
    const selection = handedSelection(reads, "a1", 2, null);
    expect(selection?.cycle?.ordinal).toBe(2);
    // The page's own text from the same events and the link's view settings: the same drawing.
    expect(ahead!.drawing).toEqual({ text: earlyDiagramText(selection!.events, parseViewState(url.searchParams)), holdsApp: true });
    expect(ahead!.drawing.text).toContain("sequenceDiagram");
    // Handed over once; another selection is not the one handed.
    expect(takeHandedReads(ahead!.token)).toBeNull();
    expect(handedSelection(reads, "a1", 1, null)).toBeNull();
  });

  it("draws the run's first actor's cycle for a link without an actor, as the page does", async () => {
    const named = await firstDrawingAhead(temp.db, pageUrl(ended.id, "1", "actor=a1&detail=full"));
    const unnamed = await firstDrawingAhead(temp.db, pageUrl(ended.id, "1", "detail=full"));
    expect(unnamed?.drawing.text).toContain("sequenceDiagram");
    expect(unnamed?.drawing).toEqual(named?.drawing);
    expect(takeHandedReads(unnamed!.token)?.selection.key).toBe(takeHandedReads(named!.token)?.selection.key);
  });

  it("sends nothing ahead where the page decides otherwise: not found or live", async () => {
    for (const url of [
      pageUrl(ended.id, "3"),
      pageUrl(ended.id, "0"),
      pageUrl(ended.id, "one"),
      pageUrl(ended.id, "1", "actor=nobody"),
      pageUrl("no-such-run", "1"),
      pageUrl(live.id, "1"),
      new URL(`http://wakeline/runs/${ended.id}/cycles`),
      new URL(`http://wakeline/runs/%E0%A4%A/cycles/1?actor=a1`),
    ]) {
      expect(await firstDrawingAhead(temp.db, url), url.href).toBeNull();
    }
  });
});
