// A participant's mailbox: FIFO with O(1) take from the head (an array's shift() copies the whole
// array once it is large, which made a burst of queued signals quadratic), plus the rarer moves of
// selective receive: taking one input from the middle, and putting inputs back at the head.

/** Taken slots at the head are dropped in one go once they are this many and half the array. */
const COMPACT_AFTER = 4096;

export class MailQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    this.compact();
    return item;
  }

  /** Position (from the head) of the first item at or after `offset` that `test` accepts, or -1. */
  findFrom(offset: number, test: (item: T) => boolean): number {
    for (let i = this.head + offset; i < this.items.length; i++) if (test(this.items[i] as T)) return i - this.head;
    return -1;
  }

  /** Takes the item at a position from the head (O(length): selective receive past the head). */
  removeAt(index: number): T {
    const [item] = this.items.splice(this.head + index, 1);
    return item as T;
  }

  /** Puts items back at the head, in their order (they were just taken from it, so this is O(items)). */
  unshiftAll(items: T[]): void {
    if (items.length <= this.head) {
      for (let i = items.length - 1; i >= 0; i--) this.items[--this.head] = items[i];
      return;
    }
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
