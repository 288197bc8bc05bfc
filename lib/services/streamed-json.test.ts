import { describe, expect, it } from "vitest";
import { JsonSyntaxError, readStreamedJson, type StreamedItem } from "./streamed-json";

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
      const members = Object.fromEntries(items.flatMap((i) => (i.kind === "member" ? [[i.name, i.value]] : [])));
      const events = items.flatMap((i) => (i.kind === "element" && i.member === "events" ? [i.value] : []));
      expect(members).toEqual({ format: doc.format, version: 1, run: doc.run, tail: true });
      expect(events).toEqual(doc.events);
      // Each long member says where it begins, an empty one too.
      expect(items.filter((i) => i.kind === "array").map((i) => (i.kind === "array" ? i.name : ""))).toEqual(["events", "cycles"]);
    }
  });

  it("refuses a document cut mid-stream", async () => {
    await expect(collect(text.slice(0, text.length / 2), 5)).rejects.toBeInstanceOf(JsonSyntaxError);
  });

  it("names the element that is not JSON", async () => {
    await expect(collect('{"events":[{"a":1},{"a":tru}]}', 4)).rejects.toThrow(/events\[1\]/);
  });

  /** The document put back together from its items. */
  async function rebuilt(text: string, size: number): Promise<unknown> {
    const doc: Record<string, unknown> = {};
    for (const item of await collect(text, size)) {
      if (item.kind === "member") doc[item.name] = item.value;
      else if (item.kind === "array") doc[item.name] = [];
      else (doc[item.member] as unknown[]).push(item.value);
    }
    return doc;
  }

  it("reads what JSON.parse reads, compact or indented", async () => {
    const documents = [
      { events: [1, "two", { three: [3, { "]": "[,{" }] }, null, [], {}], cycles: [], other: { events: [9] } },
      { events: [], cycles: [{ quote: 'a "quoted" \\ string', unicode: "é\u2028" }], events2: [1] },
      { a: 1, events: [{ x: "\\" }, { y: '\\"' }], events_: "events" },
    ];
    for (const doc of documents) {
      for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2), `  \n${JSON.stringify(doc, null, "\t")}\n`]) {
        for (const size of [1, 5, 1 << 16]) expect(await rebuilt(text, size)).toEqual(JSON.parse(text));
      }
    }
  });

  it("refuses what JSON.parse refuses, and a document that is not an object", async () => {
    for (const text of ['{"events":[1,]}', '{"events":[,1]}', '{"events":[1 2]}', '{"events":[{"a":1}}', '{"events":["open]}', '{"events":[1]', '{"events":[1]}}', '{"a" 1}', "", "[1, 2]", '"text"']) {
      await expect(collect(text, 3), text).rejects.toBeInstanceOf(JsonSyntaxError);
    }
  });
});
