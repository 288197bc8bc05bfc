import { describe, expect, it } from "vitest";
import { FaultTable, type HopFault } from "./faults";

const intent = { from: "RunnerWS", to: "RunnerWorkflow", type: "EventActorIntent" } as const;

describe("FaultTable", () => {
  it("matches on sender role, receiver role and message type", () => {
    const table = new FaultTable([{ ...intent, mode: "drop" }]);
    expect(table.match("RunnerWS", "RunnerWorkflow", "EventActorIntent", 0)?.mode).toBe("drop");
    expect(table.match("RunnerWorkflow", "ActorWorkflow", "EventActorIntent", 0)).toBeNull();
    expect(table.match("RunnerWS", "Gateway", "EventActorIntent", 0)).toBeNull();
    expect(table.match("RunnerWS", "RunnerWorkflow", "EventActorStateUpdate", 0)).toBeNull();
  });

  it("applies to any hop and type left out", () => {
    const table = new FaultTable([{ mode: "transit", ms: 5 }]);
    expect(table.match("Gateway", "ActorWorkflow", "Wake", 0)).toMatchObject({ mode: "transit", ms: 5 });
  });

  it("hits only the nth matching messages", () => {
    const table = new FaultTable([{ ...intent, mode: "drop", nth: [2, 4] }]);
    const hits = Array.from({ length: 5 }, () => table.match("RunnerWS", "RunnerWorkflow", "EventActorIntent", 0) !== null);
    expect(hits).toEqual([false, true, false, true, false]);
  });

  it("counts a message against every fault it matches; the first that applies wins", () => {
    const faults: HopFault[] = [
      { ...intent, mode: "transit", ms: 70, nth: [2] },
      { ...intent, mode: "transit", ms: 40 },
    ];
    const table = new FaultTable(faults);
    const delays = Array.from({ length: 3 }, () => table.match("RunnerWS", "RunnerWorkflow", "EventActorIntent", 0)?.ms);
    expect(delays).toEqual([40, 70, 40]);
  });

  it("applies from `after` (inclusive) until `before` (exclusive), counting only messages in the window", () => {
    const table = new FaultTable([{ mode: "drop", after: 100, before: 200, nth: [1] }]);
    expect(table.match("Gateway", "ActorWorkflow", "Wake", 99)).toBeNull();
    expect(table.match("Gateway", "ActorWorkflow", "Wake", 100)).not.toBeNull();
    expect(table.match("Gateway", "ActorWorkflow", "Wake", 150)).toBeNull();
    const late = new FaultTable([{ mode: "drop", after: 100, before: 200 }]);
    expect(late.match("Gateway", "ActorWorkflow", "Wake", 199)).not.toBeNull();
    expect(late.match("Gateway", "ActorWorkflow", "Wake", 200)).toBeNull();
  });
});
