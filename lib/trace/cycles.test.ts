import { describe, expect, it } from "vitest";
import { computeCycles } from "./cycles";
import { TraceBuilder } from "./testing/trace-builder";
import { actorSleeps, drainRunner, requestToSleepingActor, sleepingActor, tunnel } from "./testing/flows";
import type { TraceEvent } from "./types";

const RUN = "run1";

function membersOf(events: TraceEvent[], cycleOf: Map<number, string>, cycleId: string): TraceEvent[] {
  return events.filter((e) => cycleOf.get(e.seq) === cycleId);
}

describe("computeCycles", () => {
  it("groups a wake from sleep, the cold start and the sleep into one cycle", () => {
    const b = new TraceBuilder();
    const narrative = sleepingActor(b, "a1");
    const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const slept = actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });

    const { cycles, cycleOf } = computeCycles(RUN, b.events);

    expect(cycles).toHaveLength(1);
    const [cycle] = cycles;
    expect(cycle).toMatchObject({ id: "run1:a1:1", actorId: "a1", ordinal: 1, outcome: "slept", requestsServed: 1 });
    // The causes of the wake (request, gateway notes) and the pool's cold start belong to it.
    for (const event of [wake.request, wake.awaitReady, wake.wake, wake.startRequest!, wake.runnerInit!]) {
      expect(cycleOf.get(event.seq), event.type).toBe(cycle.id);
    }
    // Before the wake the actor was asleep: the narrative note and the creation belong to no cycle.
    expect(cycleOf.has(narrative.seq)).toBe(false);
    expect(cycleOf.has(narrative.seq + 1)).toBe(false);
    // The enclosing phase opens the cycle; the "Stopped" message after the sleep closes it.
    expect(cycle.firstSeq).toBe(wake.request.seq - 1);
    expect(b.events[cycle.firstSeq - 1].kind).toBe("phase-start");
    expect(cycle.lastSeq).toBe(slept.stopped.seq);
    expect(cycle.endTime).toBe(slept.sleepingState.time);
    expect(cycle.eventCount).toBe(membersOf(b.events, cycleOf, cycle.id).length);
    expect(cycle.eventCount).toBe(b.events.length - 2);
  });

  it("measures wake-to-ready and the cold start of the runner started in the cycle", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const [cycle] = computeCycles(RUN, b.events).cycles;
    expect(cycle.startTime).toBe(b.events[cycle.firstSeq - 1].time);
    expect(cycle.wakeToReadyMs).toBe(wake.ready.time - cycle.startTime);
    expect(cycle.coldStartMs).toBe(wake.runnerInit!.time - wake.startRequest!.time);
    expect(cycle.coldStartMs).toBeGreaterThan(0);
  });

  it("keeps an open cycle open and counts only successful responses", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    b.message("UserRequest", "User", "Gateway", { actorId: "a1", payload: { requestId: "r2" } });
    tunnel(b, { actorId: "a1", runnerId: "runner-1", requestId: "r2", cause: wake.ready, status: 500 });
    const [cycle] = computeCycles(RUN, b.events).cycles;
    expect(cycle.outcome).toBe("open");
    expect(cycle.endTime).toBeNull();
    expect(cycle.requestsServed).toBe(1);
    expect(cycle.lastSeq).toBe(b.events.length);
  });

  it("starts a second cycle on the next wake, without a cold start when the runner is still up", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const first = actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    const second = requestToSleepingActor(b, { actorId: "a1", requestId: "r2", generation: 2, runnerId: "runner-1" });

    const { cycles, cycleOf } = computeCycles(RUN, b.events);

    expect(cycles.map((c) => [c.id, c.ordinal, c.outcome])).toEqual([
      ["run1:a1:1", 1, "slept"],
      ["run1:a1:2", 2, "open"],
    ]);
    expect(cycleOf.get(first.stopped.seq)).toBe("run1:a1:1");
    expect(cycleOf.get(second.request.seq)).toBe("run1:a1:2");
    expect(cycleOf.get(second.awaitReady.seq)).toBe("run1:a1:2");
    expect(cycles[1].coldStartMs).toBeNull();
    expect(cycles[1].firstSeq).toBeGreaterThan(cycles[0].endTime === null ? 0 : first.sleepingState.seq);
  });

  it("gives the runner's later drain to the cycle whose /start request started it", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    const evicted = drainRunner(b, { runnerId: "runner-1", startRequest: wake.startRequest! });
    // A ping with no cause and no actor belongs to no cycle.
    const ping = b.message("ToClientPing", ["RunnerWS", "runner-1"], ["Runner", "runner-1"], {
      runnerId: "runner-1",
      housekeeping: true,
    });

    const { cycles, cycleOf } = computeCycles(RUN, b.events);

    expect(cycleOf.get(evicted.seq)).toBe("run1:a1:1");
    expect(cycles[0].lastSeq).toBe(evicted.seq);
    expect(cycleOf.has(ping.seq)).toBe(false);
  });

  it("lets a retry wake caused by the previous cycle's Stopped open the next cycle", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const slept = actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    const retry = b.message("Wake", "Gateway", ["ActorWorkflow", "a1"], {
      actorId: "a1",
      cause: slept.stopped,
      payload: { retry: true, attempt: 1 },
    });
    b.state("a1", "Sleeping", "Pending", { cause: retry, generation: 1 });

    const { cycles, cycleOf } = computeCycles(RUN, b.events);

    expect(cycleOf.get(slept.stopped.seq)).toBe("run1:a1:1");
    expect(cycleOf.get(retry.seq)).toBe("run1:a1:2");
    expect(cycleOf.get(wake.request.seq)).toBe("run1:a1:1");
    expect(cycles[1].anomalies).toEqual([{ kind: "retry-wake", seq: retry.seq, message: "Retry wake: attempt 1" }]);
  });

  it("reports anomalies of the cycle in order", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const ignored = b.note("ignored-wake", ["ActorWorkflow", "a1"], {
      actorId: "a1",
      cause: wake.wake,
      label: "Ignore retry wake<br/>because we are already allocated",
    });
    const lost = b.message("Lost", ["RunnerWorkflow", "runner-1"], ["ActorWorkflow", "a1"], {
      actorId: "a1",
      payload: { generation: 1, reason: "RunnerLost" },
    });
    const error = b.message("UserError", "Gateway", "User", {
      actorId: "a1",
      payload: { requestId: "r9", status: 503, code: "guard.actor_ready_timeout" },
    });
    const [cycle] = computeCycles(RUN, b.events).cycles;
    expect(cycle.anomalies).toEqual([
      { kind: "ignored-wake", seq: ignored.seq, message: "Ignore retry wake because we are already allocated" },
      { kind: "actor-lost", seq: lost.seq, message: "Actor lost: RunnerLost" },
      { kind: "user-error", seq: error.seq, message: "User got HTTP 503: guard.actor_ready_timeout" },
    ]);
  });

  it("marks a cycle destroyed, and failed when the actor never ran", () => {
    const b = new TraceBuilder();
    b.state("a1", null, "Starting", { generation: 1, placedOn: "runner-1" });
    b.state("a1", "Starting", "Running", { generation: 1 });
    b.state("a1", "Running", "Destroyed", { generation: 1 });
    b.state("a2", null, "Sleeping");
    b.state("a2", "Sleeping", "Pending");
    b.note("deadline-expired", ["ActorWorkflow", "a2"], { actorId: "a2" });
    b.state("a2", "Pending", "Sleeping");

    const { cycles } = computeCycles(RUN, b.events);

    expect(cycles.map((c) => [c.id, c.outcome])).toEqual([
      ["run1:a1:1", "destroyed"],
      ["run1:a2:1", "failed"],
    ]);
    expect(cycles[1].anomalies.map((a) => a.kind)).toEqual(["timeout"]);
  });

  it("keeps two actors apart and gives shared runner events to the cycle that caused them", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    sleepingActor(b, "a2");
    const w1 = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const w2 = requestToSleepingActor(b, { actorId: "a2", requestId: "r2", generation: 1, runnerId: "runner-1" });
    const drain = drainRunner(b, { runnerId: "runner-1", startRequest: w1.startRequest! });

    const { cycles, cycleOf } = computeCycles(RUN, b.events);

    expect(cycles.map((c) => c.id)).toEqual(["run1:a1:1", "run1:a2:1"]);
    expect(cycleOf.get(w2.request.seq)).toBe("run1:a2:1");
    expect(cycleOf.get(w2.ready.seq)).toBe("run1:a2:1");
    expect(cycleOf.get(drain.seq)).toBe("run1:a1:1");
    for (const event of b.events) {
      const cycleId = cycleOf.get(event.seq);
      if (cycleId && event.actorId) expect(cycleId.split(":")[1], `seq ${event.seq}`).toBe(event.actorId);
    }
  });

  it("gives each actor the cold start of the runner it landed on, whichever cycle started that runner", () => {
    const b = new TraceBuilder();
    const bumps = ["a", "b"].map((actorId, i) => {
      const request = b.message("UserRequest", "User", "Gateway", { actorId, payload: { requestId: `r${i}` } });
      const wake = b.message("Wake", "Gateway", ["ActorWorkflow", actorId], { actorId, cause: request });
      b.state(actorId, "Sleeping", "Pending", { cause: wake });
      return b.message("Bump", ["ActorWorkflow", actorId], "Serverless", { actorId, cause: wake });
    });
    // The autoscaler answers both bumps at once; both /start requests are caused by a's bump.
    const starts = [1, 2].map(() => b.message("StartRequest", "Serverless", "ServerlessEndpoint", { cause: bumps[0] }));
    const connections = [1, 2].map((n) => {
      const init = b.message("ToServerInit", ["Runner", `r${n}`], ["RunnerWS", `r${n}`], { cause: starts[n - 1], after: 100 * n });
      const created = b.message("CreateRunnerWorkflow", ["RunnerWS", `r${n}`], ["RunnerWorkflow", `runner-${n}`], {
        runnerId: `runner-${n}`,
        cause: init,
      });
      return { init, created };
    });
    ["a", "b"].forEach((actorId, i) => {
      const allocate = b.message("Allocate", ["RunnerWorkflow", `runner-${i + 1}`], ["ActorWorkflow", actorId], {
        actorId,
        runnerId: `runner-${i + 1}`,
        cause: connections[i].created,
      });
      b.state(actorId, "Pending", "Starting", { cause: allocate, generation: 1, placedOn: `runner-${i + 1}` });
    });

    const { cycles, cycleOf } = computeCycles(RUN, b.events);

    expect(starts.map((s) => cycleOf.get(s.seq))).toEqual(["run1:a:1", "run1:a:1"]);
    expect(cycles.map((c) => [c.actorId, c.coldStartMs])).toEqual([
      ["a", connections[0].init.time - starts[0].time],
      ["b", connections[1].init.time - starts[1].time],
    ]);
    expect(cycles[1].coldStartMs).not.toBe(cycles[0].coldStartMs);
  });

  it("does not depend on the order the events are given in", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    const inOrder = computeCycles(RUN, b.events);
    const reversed = computeCycles(RUN, [...b.events].reverse());
    expect(reversed.cycles).toEqual(inOrder.cycles);
    expect([...reversed.cycleOf]).toEqual([...inOrder.cycleOf]);
  });

  it("finds no cycle in a trace without state changes", () => {
    const b = new TraceBuilder();
    b.message("ToClientPing", ["RunnerWS", "r"], ["Runner", "r"], { runnerId: "r" });
    expect(computeCycles(RUN, b.events)).toEqual({ cycles: [], cycleOf: new Map() });
  });
});
