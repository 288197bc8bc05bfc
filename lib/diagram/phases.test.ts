// Phases as Mermaid blocks: well-formed whatever the selection, and overlapping spans drawn the
// way the references draw them (suspended, then re-opened as `… cont`).
import { describe, expect, it } from "vitest";
import { buildFlow } from "./build-flow";
import { AWF, G, S, SE, TraceBuilder, U, idealTrace } from "./test-fixtures";
import type { FlowItem } from "./types";

describe("phases", () => {
  const shape = (items: FlowItem[]) =>
    items.map((i) =>
      i.kind === "block-start" ? `critical ${i.label}` : i.kind === "block-end" ? "end" : i.kind === "note" ? `note ${i.text}` : `${i.kind} ${i.label}`,
    );
  const blockKinds = (items: FlowItem[]) => items.filter((i) => i.kind.startsWith("block")).map((i) => i.kind);

  it("drops an end whose start is not in the selection", () => {
    const events = idealTrace();
    const withoutFirstStart = events.filter((e) => e.seq !== events.find((x) => x.kind === "phase-start")!.seq);
    const kinds = blockKinds(buildFlow(withoutFirstStart).items);
    expect(kinds.filter((k) => k === "block-start")).toHaveLength(2);
    expect(kinds.filter((k) => k === "block-end")).toHaveLength(2);
  });

  it("closes phases still open at the end of the selection", () => {
    const events = idealTrace().filter((e) => e.kind !== "phase-end");
    const items = buildFlow(events).items;
    expect(items.slice(-3).map((i) => i.kind)).toEqual(["block-end", "block-end", "block-end"]);
    expect(items.slice(-3).every((i) => i.seq === undefined)).toBe(true);
  });

  it("suspends a phase interrupted by an unrelated one and re-opens it as `cont` for its next event", () => {
    const b = new TraceBuilder();
    const sleep = b.phase("actor sleep", null);
    b.msg(AWF, G, "CommandStopActor", "Send StopActor");
    b.phase("request to actor marked as sleeping", null);
    b.msg(U, G, "UserRequest", "GET /sleep");
    b.during(sleep, () => b.note(AWF, "deallocate", "Deallocate"));
    b.end(sleep);
    b.msg(G, AWF, "Wake", "Retry wake");
    b.end();
    expect(shape(buildFlow(b.events).items)).toEqual([
      "critical actor sleep",
      "arrow Send StopActor",
      "end",
      "critical request to actor marked as sleeping",
      "arrow GET /sleep",
      "critical actor sleep cont",
      "note Deallocate",
      "end",
      "arrow Retry wake",
      "end",
    ]);
  });

  it("opens a phase inside its parent, suspending only what was opened inside the parent", () => {
    const b = new TraceBuilder();
    const outer = b.phase("outer", null);
    const side = b.phase("side", outer);
    b.note(AWF, "narrative", "in side");
    b.phase("inner", outer);
    b.note(AWF, "narrative", "in inner");
    b.during(side, () => b.note(AWF, "narrative", "side again"));
    const items = buildFlow(b.events).items;
    expect(shape(items)).toEqual([
      "critical outer",
      "critical side",
      "note in side",
      "end",
      "critical inner",
      "note in inner",
      "critical side cont",
      "note side again",
      "end",
      "end",
      "end",
    ]);
  });

  it("closes the phases drawn inside an ending phase and forgets the end of a suspended one", () => {
    const b = new TraceBuilder();
    const outer = b.phase("outer");
    const inner = b.phase("inner");
    b.msg(U, G, "UserRequest", "hi");
    const outerEnd = b.end(outer);
    b.end(inner);
    b.msg(G, U, "UserResponse", "bye");
    const items = buildFlow(b.events).items;
    expect(shape(items)).toEqual(["critical outer", "critical inner", "arrow hi", "end", "end", "arrow bye"]);
    expect(items[4].seq).toBe(outerEnd);
    expect(items[3].seq).toBeUndefined();
  });

  it("re-opens a suspended parent (on top, like `actor sleep cont`) before a new phase inside it", () => {
    const b = new TraceBuilder();
    const first = b.phase("first", null);
    b.phase("second", null);
    b.phase("child of first", first);
    b.note(AWF, "narrative", "x");
    // "first" is interrupted before anything is drawn in it: that empty part is not written.
    expect(shape(buildFlow(b.events).items)).toEqual([
      "critical second",
      "critical first cont",
      "critical child of first",
      "note x",
      "end",
      "end",
      "end",
    ]);
  });

  it("drops a phase with nothing drawn inside (Mermaid lays an empty block out with NaN)", () => {
    const b = new TraceBuilder();
    b.phase("actor sleep");
    b.chore(S, SE, "ToClientPing");
    b.end();
    expect(buildFlow(b.events).items).toEqual([]);
    expect(buildFlow(b.events, { detail: "full" }).items.map((i) => i.kind)).toEqual(["block-start", "arrow", "block-end"]);
  });
});
