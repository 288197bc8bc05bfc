// The streamed export writes exactly the text of the bundle built whole, over several pages of
// events, for an empty run too, and a missing run fails before any text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { insertRun } from "@/lib/store/trace-store";
import { exportRunText } from "./bundle-export";
import { exportRun } from "./bundles";
import { runScenario } from "./runs";

let temp: TempDb;
beforeAll(async () => {
  temp = await createTempDb();
});
afterAll(() => temp.cleanup());

async function streamed(runId: string): Promise<{ text: string; pieces: number }> {
  let text = "";
  let pieces = 0;
  for await (const piece of (await exportRunText(temp.db, runId)).pieces) {
    text += piece;
    pieces++;
  }
  return { text, pieces };
}

describe("exportRunText", () => {
  it("writes the whole bundle's JSON text, a page of events at a time", async () => {
    const steps = Array.from({ length: 500 }, (_, i) => ({ at: 10 + i * 20, request: { actor: "a-1", path: `/r${i}` } }));
    const { run } = await runScenario(temp.db, { scenario: { name: "pages", durationMs: 20_000, actors: [{ id: "a-1" }], steps }, seed: 1 });
    expect(run.eventCount).toBeGreaterThan(4_000);
    const { text, pieces } = await streamed(run.id);
    expect(text).toBe(JSON.stringify(await exportRun(temp.db, run.id), null, 2));
    expect(pieces).toBeGreaterThan(5);
  });

  it("writes a run without events or cycles as the whole bundle does", async () => {
    const empty = { id: "empty-run", name: "empty", source: "scenario" as const, seed: null, config: null, status: "running" as const, error: null, eventCount: 0, startedAt: new Date().toISOString(), endedAt: null };
    await insertRun(temp.db, empty);
    await temp.db.run.update({ where: { id: empty.id }, data: { status: "finished", owner: null } });
    const { text } = await streamed(empty.id);
    expect(text).toBe(JSON.stringify(await exportRun(temp.db, empty.id), null, 2));
    expect(JSON.parse(text)).toMatchObject({ events: [], cycles: [] });
  });

  it("fails before any text for a run that does not exist", async () => {
    await expect(exportRunText(temp.db, "no-such-run")).rejects.toMatchObject({ status: 404, code: "run_not_found" });
  });
});
