import { describe, expect, it } from "vitest";
import { JsonSyntaxError } from "./sliced-json";
import { readStreamedJson, type StreamedItem } from "./streamed-json";

const SPLIT = new Set(["events", "cycles"]);

/** The text in pieces of `size` bytes, as a stream would bring it. */
async function* inPieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(text: string, size: number): Promise<StreamedItem[]> {
  const out: StreamedItem[] = [];
  for await (const item of readStreamedJson(inPieces(text, size), SPLIT)) out.push(item);
  return out;
}

describe("readStreamedJson", () => {
  const doc = { format: "wakeline-bundle", version: 1, run: { name: "é \"q\" ]}", n: -1.5e3 }, events: [{ a: [1, { b: "x,]" }] }, 2, "s", null], cycles: [], tail: true };
  const text = JSON.stringify(doc, null, 2);

  it("gives the same members and elements whatever the piece size", async () => {
    for (const size of [1, 3, 7, 64, 1 << 16]) {
      const items = await collect(text, size);
      const members = Object.fromEntries(items.filter((i) => i.kind === "member").map((i) => [i.kind === "member" ? i.name : "", i.value]));
      const events = items.filter((i) => i.kind === "element" && i.member === "events").map((i) => i.value);
      expect(members).toEqual({ format: doc.format, version: 1, run: doc.run, tail: true });
      expect(events).toEqual(doc.events);
    }
  });

  it("refuses a document cut mid-stream", async () => {
    await expect(collect(text.slice(0, text.length / 2), 5)).rejects.toBeInstanceOf(JsonSyntaxError);
  });

  it("names the element that is not JSON", async () => {
    await expect(collect('{"events":[{"a":1},{"a":tru}]}', 4)).rejects.toThrow(/events\[1\]/);
  });
});
