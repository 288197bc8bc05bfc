import { describe, expect, it } from "vitest";
import { Scheduler } from "./scheduler";

describe("Scheduler", () => {
  it("runs tasks in time order and ties in the order they were scheduled", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(20, () => ran.push("20-first"));
    scheduler.at(10, () => ran.push("10"));
    scheduler.at(20, () => ran.push("20-second"));
    scheduler.at(5, () => ran.push("5"));
    scheduler.at(20, () => ran.push("20-third"));
    scheduler.advanceTo(100);
    expect(ran).toEqual(["5", "10", "20-first", "20-second", "20-third"]);
  });

  it("keeps tie order across many tasks (heap reordering does not reorder ties)", () => {
    const scheduler = new Scheduler();
    const ran: number[] = [];
    for (let i = 0; i < 50; i++) scheduler.at(i % 3, () => ran.push(i));
    scheduler.advanceTo(10);
    const expected = [0, 1, 2].flatMap((t) => Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 3 === t));
    expect(ran).toEqual(expected);
  });

  it("shows each task its own time, then stands at the target time", () => {
    const scheduler = new Scheduler();
    const seen: number[] = [];
    scheduler.at(7, () => seen.push(scheduler.now));
    scheduler.at(12, () => seen.push(scheduler.now));
    scheduler.advanceTo(10);
    expect(seen).toEqual([7]);
    expect(scheduler.now).toBe(10);
    expect(scheduler.peekTime()).toBe(12);
    scheduler.advanceTo(12);
    expect(seen).toEqual([7, 12]);
    expect(scheduler.peekTime()).toBeNull();
  });

  it("runs tasks scheduled by a task within the same advance, and never in the past", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(10, () => {
      ran.push("outer");
      scheduler.at(10, () => ran.push(`same-time@${scheduler.now}`));
      scheduler.at(3, () => ran.push(`past@${scheduler.now}`));
      scheduler.at(15, () => ran.push(`later@${scheduler.now}`));
    });
    scheduler.advanceTo(20);
    expect(ran).toEqual(["outer", "same-time@10", "past@10", "later@15"]);
  });

  it("refuses to go back in time", () => {
    const scheduler = new Scheduler();
    scheduler.advanceTo(50);
    expect(() => scheduler.advanceTo(49)).toThrow(/cannot go back/);
    expect(scheduler.now).toBe(50);
    scheduler.advanceTo(50);
    expect(scheduler.now).toBe(50);
  });
});
