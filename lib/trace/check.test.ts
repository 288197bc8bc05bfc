import { describe, expect, it } from "vitest";
import { checkRun } from "./check";
import { TraceBuilder } from "./testing/trace-builder";
import { actorSleeps, drainRunner, requestToSleepingActor, sleepingActor } from "./testing/flows";
import type { TraceEvent } from "./types";

function healthyRun(): TraceBuilder {
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
  requestToSleepingActor(b, { actorId: "a1", requestId: "r2", generation: 2, runnerId: "runner-1" });
  actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 2 });
  drainRunner(b, { runnerId: "runner-1", startRequest: wake.startRequest! });
  return b;
}

function rules(events: TraceEvent[], finished = true): string[] {
  return checkRun(events, { finished }).map((v) => v.rule);
}

describe("checkRun", () => {
  it("accepts a healthy run with two cycles", () => {
    expect(checkRun(healthyRun().events)).toEqual([]);
  });

  describe("seq-gap", () => {
    it("reports a missing seq and a repeated one", () => {
      const events = healthyRun().events;
      const withGap = [...events.slice(0, 4), ...events.slice(5)];
      const gap = checkRun(withGap).filter((v) => v.rule === "seq-gap");
      expect(gap).toEqual([{ rule: "seq-gap", message: "expected seq 5, found 6", seqs: [6] }]);
      const repeated = [...events.slice(0, 5), { ...events[4] }, ...events.slice(5)];
      expect(rules(repeated)).toContain("seq-gap");
    });

    it("requires the first seq to be 1", () => {
      const events = healthyRun().events.map((e) => ({ ...e, seq: e.seq + 1 }));
      expect(checkRun(events)[0]).toMatchObject({ rule: "seq-gap", seqs: [2] });
    });
  });

  describe("dangling-reference", () => {
    it("reports a cause that is later or missing, and a relay of a missing message", () => {
      const b = new TraceBuilder();
      const first = b.message("Bump", "ActorWorkflow", "Serverless");
      const later = b.message("StartRequest", "Serverless", "ServerlessEndpoint", { cause: 3 });
      b.message("Evict", "Serverless", "RunnerWS", { cause: first, relayOf: 99 });
      const found = checkRun(b.events);
      expect(found.map((v) => [v.rule, v.seqs])).toEqual([
        ["dangling-reference", [later.seq]],
        ["dangling-reference", [3]],
      ]);
      expect(found[1].message).toContain("relayOf 99");
    });
  });

  describe("unanswered-request", () => {
    function requestOnly(): TraceBuilder {
      const b = new TraceBuilder();
      b.message("UserRequest", "User", "Gateway", { actorId: "a1", payload: { requestId: "r1" }, label: "GET /" });
      return b;
    }

    it("reports a request without an answer once the run has finished", () => {
      const b = requestOnly();
      expect(checkRun(b.events, { finished: true })).toEqual([
        { rule: "unanswered-request", message: "request r1 (GET /) was never answered", seqs: [1] },
      ]);
    });

    it("treats it as in flight while the run is live", () => {
      expect(checkRun(requestOnly().events, { finished: false })).toEqual([]);
    });

    it("accepts a UserError as the answer, and reports an answer to nothing", () => {
      const b = requestOnly();
      b.message("UserError", "Gateway", "User", { payload: { requestId: "r1", status: 503, code: "x" } });
      expect(checkRun(b.events)).toEqual([]);
      b.message("UserResponse", "Gateway", "User", { payload: { requestId: "r1", status: 200 } });
      expect(checkRun(b.events).map((v) => [v.rule, v.seqs])).toEqual([["unanswered-request", [3]]]);
    });
  });

  describe("double-placement", () => {
    it("reports an actor placed on a second runner before being deallocated", () => {
      const b = new TraceBuilder();
      const first = b.state("a1", null, "Starting", { generation: 1, placedOn: "runner-1" });
      b.state("a1", "Starting", "Running", { generation: 1, placedOn: "runner-1" });
      const second = b.state("a1", "Running", "Starting", { generation: 2, placedOn: "runner-2" });
      expect(checkRun(b.events)).toEqual([
        {
          rule: "double-placement",
          message: "actor a1 placed on runner runner-2 while still on runner runner-1",
          seqs: [first.seq, second.seq],
        },
      ]);
    });

    it("accepts a new placement after the deallocate note, and rejects a deallocate from the wrong runner", () => {
      const b = new TraceBuilder();
      b.state("a1", null, "Starting", { generation: 1, placedOn: "runner-1" });
      b.note("deallocate", ["ActorWorkflow", "a1"], { actorId: "a1", payload: { runnerId: "runner-1", generation: 1 } });
      b.state("a1", "Backoff", "Starting", { generation: 2, placedOn: "runner-2" });
      expect(checkRun(b.events)).toEqual([]);
      b.note("deallocate", ["ActorWorkflow", "a1"], { actorId: "a1", payload: { runnerId: "runner-1", generation: 2 } });
      expect(rules(b.events)).toEqual(["double-placement"]);
    });

    it("keeps actors apart", () => {
      const b = new TraceBuilder();
      b.state("a1", null, "Starting", { generation: 1, placedOn: "runner-1" });
      b.state("a2", null, "Starting", { generation: 1, placedOn: "runner-1" });
      expect(checkRun(b.events)).toEqual([]);
    });
  });

  describe("generation-order", () => {
    it("reports a placement that does not raise the generation", () => {
      const b = new TraceBuilder();
      b.state("a1", null, "Starting", { generation: 3, placedOn: "runner-1" });
      b.note("deallocate", ["ActorWorkflow", "a1"], { actorId: "a1", payload: { runnerId: "runner-1", generation: 3 } });
      b.state("a1", "Sleeping", "Starting", { generation: 3, placedOn: "runner-1" });
      expect(checkRun(b.events).map((v) => [v.rule, v.seqs])).toEqual([["generation-order", [1, 3]]]);
    });

    it("reports a generation going back on any state change", () => {
      const b = new TraceBuilder();
      b.state("a1", null, "Starting", { generation: 2, placedOn: "runner-1" });
      b.state("a1", "Starting", "Running", { generation: 1 });
      expect(checkRun(b.events)[0]).toMatchObject({
        rule: "generation-order",
        message: "actor a1: generation went back from 2 to 1",
      });
    });
  });

  describe("phase-mismatch", () => {
    it("reports an end without a start and a start never ended in a finished run", () => {
      const b = new TraceBuilder();
      b.phaseStart("outer");
      const inner = b.phaseStart("inner");
      const end = b.phaseEnd();
      const stray = { ...end, seq: 4, time: end.time + 1 };
      const events = [...b.events, stray];
      expect(checkRun(events).map((v) => [v.rule, v.seqs])).toEqual([
        ["phase-mismatch", [4]],
        ["phase-mismatch", [1]],
      ]);
      expect(inner.seq).toBe(2);
      // While live, an open phase is just in progress.
      expect(checkRun(b.events, { finished: false })).toEqual([]);
    });
  });
});
