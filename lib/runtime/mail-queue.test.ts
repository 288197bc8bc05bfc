import { describe, expect, it } from "vitest";
import { MailQueue } from "./mail-queue";

function drain<T>(queue: MailQueue<T>): T[] {
  const out: T[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
  return out;
}

describe("MailQueue", () => {
  it("is first in, first out, across its compaction of taken slots", () => {
    const queue = new MailQueue<number>();
    for (let i = 0; i < 10_000; i++) queue.push(i);
    const firstHalf = Array.from({ length: 5_000 }, () => queue.shift());
    for (let i = 10_000; i < 12_000; i++) queue.push(i);
    expect(firstHalf).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(queue.length).toBe(7_000);
    expect(drain(queue)).toEqual(Array.from({ length: 7_000 }, (_, i) => 5_000 + i));
    expect(queue.shift()).toBeUndefined();
  });

  it("finds and takes an item past the head, leaving the others in order", () => {
    const queue = new MailQueue<string>();
    for (const item of ["w1", "w2", "alloc", "w3"]) queue.push(item);
    queue.shift();
    const index = queue.findFrom(0, (item) => item === "alloc");
    expect(index).toBe(1);
    expect(queue.findFrom(2, (item) => item === "alloc")).toBe(-1);
    expect(queue.removeAt(index)).toBe("alloc");
    expect(drain(queue)).toEqual(["w2", "w3"]);
  });

  it("puts items back at the head in their order", () => {
    const queue = new MailQueue<number>();
    for (const item of [1, 2, 3, 4]) queue.push(item);
    const taken = [queue.shift()!, queue.shift()!];
    queue.unshiftAll(taken);
    expect(drain(queue)).toEqual([1, 2, 3, 4]);
    // Also when more go back than were taken from this queue.
    queue.push(9);
    queue.unshiftAll([7, 8]);
    expect(drain(queue)).toEqual([7, 8, 9]);
  });
});
