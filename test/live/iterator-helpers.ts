// rivetkit 2.2.1 calls iterator helpers (`map.values().map(…).filter(…)`), a JavaScript feature
// that Node 22 has and Node 20 lacks. On Node 20 the rivetkit test installs them as a runtime shim
// (the app itself is unchanged); where they exist, nothing is replaced.
type Step<T> = IteratorResult<T>;

function* iterate<T>(iterator: Iterator<T>): Generator<T> {
  for (let next: Step<T> = iterator.next(); !next.done; next = iterator.next()) yield next.value;
}

const helpers: Record<string, (this: Iterator<unknown>, ...args: never[]) => unknown> = {
  *map(mapper: (value: unknown, index: number) => unknown) {
    let index = 0;
    for (const value of iterate(this)) yield mapper(value, index++);
  },
  *filter(predicate: (value: unknown, index: number) => boolean) {
    let index = 0;
    for (const value of iterate(this)) if (predicate(value, index++)) yield value;
  },
  *flatMap(mapper: (value: unknown, index: number) => Iterable<unknown>) {
    let index = 0;
    for (const value of iterate(this)) yield* mapper(value, index++);
  },
  *take(limit: number) {
    if (limit <= 0) return;
    let taken = 0;
    for (const value of iterate(this)) {
      yield value;
      if (++taken >= limit) return;
    }
  },
  *drop(count: number) {
    let dropped = 0;
    for (const value of iterate(this)) if (dropped++ >= count) yield value;
  },
  toArray() {
    return [...iterate(this)];
  },
  forEach(action: (value: unknown, index: number) => void) {
    let index = 0;
    for (const value of iterate(this)) action(value, index++);
  },
  some(predicate: (value: unknown, index: number) => boolean) {
    let index = 0;
    for (const value of iterate(this)) if (predicate(value, index++)) return true;
    return false;
  },
  every(predicate: (value: unknown, index: number) => boolean) {
    let index = 0;
    for (const value of iterate(this)) if (!predicate(value, index++)) return false;
    return true;
  },
  find(predicate: (value: unknown, index: number) => boolean) {
    let index = 0;
    for (const value of iterate(this)) if (predicate(value, index++)) return value;
    return undefined;
  },
  reduce(reducer: (acc: unknown, value: unknown, index: number) => unknown, ...initial: unknown[]) {
    let index = 0;
    let started = initial.length > 0;
    let acc = initial[0];
    for (const value of iterate(this)) {
      if (!started) {
        acc = value;
        started = true;
      } else acc = reducer(acc, value, index);
      index += 1;
    }
    if (!started) throw new TypeError("Reduce of empty iterator with no initial value");
    return acc;
  },
};

export function installIteratorHelpers(): void {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as Record<string, unknown>;
  for (const [name, value] of Object.entries(helpers)) {
    if (typeof proto[name] !== "function") Object.defineProperty(proto, name, { configurable: true, writable: true, value });
  }
}
