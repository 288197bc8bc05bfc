import { describe, expect, it } from "vitest";
import { ftsQuery } from "./search-store";
import { ftsToTsquery } from "./fts-to-tsquery";

describe("ftsToTsquery", () => {
  it("turns the FTS5 queries ftsQuery builds into tsquery text", () => {
    expect(ftsToTsquery(ftsQuery("zebra")!)).toBe("'zebra':*");
    expect(ftsToTsquery(ftsQuery("okapi 99")!)).toBe("'okapi' & '99':*");
    expect(ftsToTsquery(ftsQuery("actor.not_found", "payload")!)).toBe("(('actor':B <-> 'not':B <-> 'found':*B))");
    expect(ftsToTsquery(`(${ftsQuery("marker")}) AND (${ftsQuery("a", "label")})`)).toBe("('marker':*) & (('a':A))");
  });

  it("keeps operators and quotes as words", () => {
    expect(ftsToTsquery(ftsQuery('zebra OR "okapi')!)).toBe("'zebra' & 'OR' & 'okapi':*");
    expect(ftsToTsquery(ftsQuery("it's")!)).toBe("('it' <-> 's')");
  });

  it("refuses anything else with a coded error", () => {
    expect(() => ftsToTsquery("zebra")).toThrow(expect.objectContaining({ code: "invalid_search" }));
    expect(() => ftsToTsquery('"open')).toThrow(expect.objectContaining({ code: "invalid_search" }));
    expect(() => ftsToTsquery('"a" OR "b"')).toThrow(expect.objectContaining({ code: "invalid_search" }));
  });
});
