import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import type { RunInfo } from "@/lib/trace/types";
import { conformRun } from "./conformance";
import { diagramText } from "./diagrams";
import { recordTrace } from "./testing/record";

let temp: TempDb;
let run: RunInfo;
let reference: string;

beforeAll(async () => {
  temp = await createTempDb();
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  run = (await recordTrace(temp.db, b.events)).run;
  reference = (await diagramText(temp.db, { runId: run.id })).text;
});
afterAll(() => temp.cleanup());

describe("conformRun", () => {
  it("conforms to its own default diagram", async () => {
    const report = await conformRun(temp.db, { runId: run.id, referenceText: reference });
    expect(report).toMatchObject({ ok: true, missing: [], extra: [], outOfOrder: [] });
    expect(report.matched).toBeGreaterThan(20);
  });

  it("reports what the reference expects and the run lacks", async () => {
    const withExtra = reference.replace(/\n(\s*)end\s*$/, "\n$1U->>G: Thank you\n$1end\n");
    expect(withExtra).not.toBe(reference);
    const report = await conformRun(temp.db, { runId: run.id, referenceText: withExtra });
    expect(report.ok).toBe(false);
    expect(report.missing.map((d) => d.text)).toEqual([expect.stringContaining("Thank you")]);
  });

  it("answers an unreadable reference with a coded error naming the line", async () => {
    await expect(
      conformRun(temp.db, { runId: run.id, referenceText: "sequenceDiagram\n  U->>: broken\n" }),
    ).rejects.toMatchObject({ code: "reference_parse_error", status: 400, message: expect.stringContaining("line 2") });
  });
});
