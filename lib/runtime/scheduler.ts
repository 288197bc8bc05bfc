// A time-ordered task queue: ties run in the order they were scheduled, so a run is reproducible.
//
// Two structures share the order (time, then scheduling order): a queue of tasks scheduled in
// time order — a scenario's steps, all scheduled up front — taken from its head in O(1), and a
// binary heap for everything else (latencies, timers), which therefore stays as small as the work
// in flight instead of holding every step of the scenario. A run of n steps costs O(n), not
// O(n log n) with a heap of n tasks that every message and timer has to climb through.

interface Task {
  time: number;
  order: number;
  run: () => void;
}

/** Taken tasks at the head of the queue are dropped in one go once they are this many. */
const COMPACT_AFTER = 4096;

const less = (a: Task, b: Task) => a.time < b.time || (a.time === b.time && a.order < b.order);

export class Scheduler {
  private heap: Task[] = [];
  /** Tasks in (time, order) order; `head` is the next one. */
  private queue: Task[] = [];
  private head = 0;
  private counter = 0;
  private current = 0;

  get now(): number {
    return this.current;
  }

  get size(): number {
    return this.heap.length + this.queue.length - this.head;
  }

  /** Time of the next task, or null when idle. */
  peekTime(): number | null {
    const next = this.peek();
    return next ? next.time : null;
  }

  at(time: number, run: () => void): void {
    const task = { time: Math.max(time, this.current), order: this.counter++, run };
    // Not before the queue's last task: it joins the queue (its order is the highest yet).
    const last = this.queue.length > this.head ? this.queue[this.queue.length - 1] : null;
    if (last === null || task.time >= last.time) {
      this.queue.push(task);
      return;
    }
    this.heap.push(task);
    this.up(this.heap.length - 1);
  }

  /** Run every task due up to `time`, then stand at `time`. The clock never goes back. */
  advanceTo(time: number): void {
    if (time < this.current) throw new Error(`clock cannot go back from ${this.current} to ${time}`);
    for (;;) {
      const next = this.peek();
      if (!next || next.time > time) break;
      this.take(next);
      this.current = next.time;
      next.run();
    }
    this.current = time;
  }

  private peek(): Task | null {
    const queued = this.head < this.queue.length ? this.queue[this.head] : null;
    const heaped = this.heap.length > 0 ? this.heap[0] : null;
    if (!queued) return heaped;
    if (!heaped) return queued;
    return less(heaped, queued) ? heaped : queued;
  }

  /** Removes `task`, which peek() has just returned. */
  private take(task: Task): void {
    if (this.head < this.queue.length && this.queue[this.head] === task) {
      this.queue[this.head++] = undefined as unknown as Task;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return;
    }
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private up(i: number): void {
    const heap = this.heap;
    const task = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(task, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = task;
  }

  private down(i: number): void {
    const heap = this.heap;
    const task = heap[i];
    const length = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && less(heap[right], heap[left]) ? right : left;
      if (!less(heap[child], task)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = task;
  }
}
