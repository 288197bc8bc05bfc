import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { checkRecordedRun } from "./check";
import { recordTrace } from "./testing/record";

let temp: TempDb;
beforeAll(async () => {
  temp = await createTempDb();
});
afterAll(() => temp.cleanup());

function unansweredRequest(): TraceBuilder {
  const b = new TraceBuilder();
  b.message("UserRequest", "User", "Gateway", { actorId: "a1", payload: { requestId: "r1" }, label: "GET /" });
  return b;
}

describe("checkRecordedRun", () => {
  it("reports an unanswered request once the run has ended", async () => {
    const { run } = await recordTrace(temp.db, unansweredRequest().events);
    const { violations } = await checkRecordedRun(temp.db, run.id);
    expect(violations).toEqual([{ rule: "unanswered-request", message: expect.stringContaining("r1"), seqs: [1] }]);
  });

  it("treats it as in flight while the run is still recording", async () => {
    const { run } = await recordTrace(temp.db, unansweredRequest().events, { finish: false });
    expect((await checkRecordedRun(temp.db, run.id)).violations).toEqual([]);
  });

  it("answers an unknown run with a coded 404", async () => {
    await expect(checkRecordedRun(temp.db, "nope")).rejects.toMatchObject({ code: "run_not_found" });
  });
});
