// A time-ordered task queue: ties run in the order they were scheduled, so a run is reproducible.

interface Task {
  time: number;
  order: number;
  run: () => void;
}

export class Scheduler {
  private heap: Task[] = [];
  private counter = 0;
  private current = 0;

  get now(): number {
    return this.current;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Time of the next task, or null when idle. */
  peekTime(): number | null {
    return this.heap.length > 0 ? this.heap[0].time : null;
  }

  at(time: number, run: () => void): void {
    const task = { time: Math.max(time, this.current), order: this.counter++, run };
    this.heap.push(task);
    this.up(this.heap.length - 1);
  }

  /** Run every task due up to `time`, then stand at `time`. The clock never goes back. */
  advanceTo(time: number): void {
    if (time < this.current) throw new Error(`clock cannot go back from ${this.current} to ${time}`);
    while (this.heap.length > 0 && this.heap[0].time <= time) {
      const task = this.pop();
      this.current = task.time;
      task.run();
    }
    this.current = time;
  }

  private pop(): Task {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: Task, b: Task): boolean {
    return a.time < b.time || (a.time === b.time && a.order < b.order);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i], this.heap[parent])) return;
      [this.heap[i], this.heap[parent]] = [this.heap[parent], this.heap[i]];
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.less(this.heap[left], this.heap[smallest])) smallest = left;
      if (right < this.heap.length && this.less(this.heap[right], this.heap[smallest])) smallest = right;
      if (smallest === i) return;
      [this.heap[i], this.heap[smallest]] = [this.heap[smallest], this.heap[i]];
      i = smallest;
    }
  }
}
