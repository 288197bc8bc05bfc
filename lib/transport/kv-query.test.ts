import { describe, expect, it } from "vitest";
import { KvLimitError, checkPut, compareBytes, listEntries, type KvEntryBytes } from "./kv-query";

const bytes = (...values: number[]) => Uint8Array.from(values);
const entry = (...key: number[]): KvEntryBytes => ({ key: bytes(...key), value: bytes(0) });
const keysOf = (entries: KvEntryBytes[]) => entries.map((e) => [...e.key]);

describe("kv queries", () => {
  const entries = [entry(2), entry(1, 255), entry(1), entry(1, 0), entry(3, 1), entry(255)];

  it("orders keys byte-wise, shorter prefix first", () => {
    expect(compareBytes(bytes(1), bytes(1, 0))).toBeLessThan(0);
    expect(compareBytes(bytes(255), bytes(2))).toBeGreaterThan(0);
    expect(keysOf(listEntries(entries, { kind: "all" }, false, null))).toEqual([[1], [1, 0], [1, 255], [2], [3, 1], [255]]);
  });

  it("lists by prefix, reversed and limited", () => {
    expect(keysOf(listEntries(entries, { kind: "prefix", prefix: bytes(1) }, false, null))).toEqual([[1], [1, 0], [1, 255]]);
    expect(keysOf(listEntries(entries, { kind: "prefix", prefix: bytes(1) }, true, 2))).toEqual([[1, 255], [1, 0]]);
  });

  it("lists a range with the end excluded only when exclusive", () => {
    const range = { kind: "range" as const, start: bytes(1, 0), end: bytes(3, 1) };
    expect(keysOf(listEntries(entries, { ...range, exclusive: true }, false, null))).toEqual([[1, 0], [1, 255], [2]]);
    expect(keysOf(listEntries(entries, { ...range, exclusive: false }, false, null))).toEqual([[1, 0], [1, 255], [2], [3, 1]]);
  });

  it("refuses oversize keys and values and too many keys", () => {
    expect(() => checkPut([new Uint8Array(2049)], [bytes(1)])).toThrow(KvLimitError);
    expect(() => checkPut([bytes(1)], [new Uint8Array(128 * 1024 + 1)])).toThrow(/value too large/);
    const many = Array.from({ length: 129 }, (_, i) => bytes(i));
    expect(() => checkPut(many, many)).toThrow(/too many keys/);
    expect(() => checkPut([bytes(1), bytes(2)], [bytes(1)])).toThrow(/2 keys but 1 values/);
    expect(() => checkPut([new Uint8Array(2048)], [new Uint8Array(128 * 1024)])).not.toThrow();
  });
});
