// The pure half of the actor key/value store: limits, byte order, and list queries (all, prefix,
// range) over entries already sorted by key. No I/O.

export const KV_LIMITS = {
  maxKeyBytes: 2048,
  maxValueBytes: 128 * 1024,
  maxKeysPerCall: 128,
} as const;

export interface KvEntryBytes {
  key: Uint8Array;
  value: Uint8Array;
}

export type KvListQuery =
  | { kind: "all" }
  | { kind: "prefix"; prefix: Uint8Array }
  /** `[start, end)` when exclusive, else `[start, end]`. */
  | { kind: "range"; start: Uint8Array; end: Uint8Array; exclusive: boolean };

export class KvLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KvLimitError";
  }
}

/** Unsigned byte-wise comparison (the order SQLite compares BLOBs in). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

export function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

export function checkKeys(keys: readonly Uint8Array[]): void {
  if (keys.length > KV_LIMITS.maxKeysPerCall) {
    throw new KvLimitError(`too many keys: ${keys.length} (at most ${KV_LIMITS.maxKeysPerCall} per call)`);
  }
  for (const key of keys) {
    if (key.length > KV_LIMITS.maxKeyBytes) throw new KvLimitError(`key too large: ${key.length} bytes (at most ${KV_LIMITS.maxKeyBytes})`);
  }
}

export function checkPut(keys: readonly Uint8Array[], values: readonly Uint8Array[]): void {
  if (keys.length !== values.length) throw new KvLimitError(`put has ${keys.length} keys but ${values.length} values`);
  checkKeys(keys);
  for (const value of values) {
    if (value.length > KV_LIMITS.maxValueBytes) throw new KvLimitError(`value too large: ${value.length} bytes (at most ${KV_LIMITS.maxValueBytes})`);
  }
}

export function matchesQuery(key: Uint8Array, query: KvListQuery): boolean {
  switch (query.kind) {
    case "all":
      return true;
    case "prefix":
      return startsWith(key, query.prefix);
    case "range": {
      if (compareBytes(key, query.start) < 0) return false;
      const toEnd = compareBytes(key, query.end);
      return query.exclusive ? toEnd < 0 : toEnd <= 0;
    }
  }
}

/** Entries of a list query, ascending by key (descending when reversed), at most `limit`. */
export function listEntries(entries: readonly KvEntryBytes[], query: KvListQuery, reverse: boolean, limit: number | null): KvEntryBytes[] {
  const sorted = entries.filter((entry) => matchesQuery(entry.key, query)).sort((a, b) => compareBytes(a.key, b.key));
  if (reverse) sorted.reverse();
  return limit === null ? sorted : sorted.slice(0, Math.max(0, limit));
}
