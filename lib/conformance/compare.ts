// Compares an expected flow (a reference diagram) with an actual one (a recorded run).
// Items must appear one to one and in order; an actual label may say more than the expected one.
// The alignment is a longest common subsequence under that match rule; what it leaves unmatched is
// then sorted into "out of order" (a matching partner exists elsewhere), "missing" and "extra".
import type { FlowItem, Participant } from "@/lib/diagram";
import { ConformanceError } from "./errors";
import { lifelineKeys } from "./lifeline-roles";
import { describeItem } from "./describe";

export interface Diff {
  /** The expected item (missing, out of order) or the actual item (extra). */
  item: FlowItem;
  /** Short human text, e.g. `G->>AWF: Wake`. */
  text: string;
  /** Position in the expected items, and its source line when parsed from a file. */
  expectedIndex?: number;
  line?: number;
  /** Position in the actual items, and the seq of the event it was drawn from. */
  actualIndex?: number;
  seq?: number;
}

export interface ConformanceReport {
  ok: boolean;
  matched: number;
  missing: Diff[];
  extra: Diff[];
  outOfOrder: Diff[];
  expectedCount: number;
  actualCount: number;
}

/** Items alone (lifelines compared by id) or with participants (lifelines compared through titles). */
export type FlowInput = readonly FlowItem[] | { participants?: readonly Participant[]; items: readonly FlowItem[] };

/** Past this many item pairs the alignment table would need too much memory. */
export const MAX_COMPARED_PAIRS = 25_000_000;

interface Comparable {
  item: FlowItem;
  index: number;
  key: string;
  words: string[];
  wordSet: Set<string>;
}

export function compareFlows(expected: FlowInput, actual: FlowInput): ConformanceReport {
  const exp = comparable(expected);
  const act = comparable(actual);
  if ((exp.length + 1) * (act.length + 1) > MAX_COMPARED_PAIRS) {
    throw new ConformanceError(
      "too_large",
      `cannot align ${exp.length} expected with ${act.length} actual items; compare a smaller selection`,
    );
  }
  const pairs = align(exp, act);
  const matchedExp = new Set(pairs.map(([e]) => e));
  const matchedAct = new Set(pairs.map(([, a]) => a));
  const unmatchedAct = act.filter((a) => !matchedAct.has(a.index));

  const missing: Diff[] = [];
  const outOfOrder: Diff[] = [];
  const pairedElsewhere = new Set<number>();
  for (const e of exp) {
    if (matchedExp.has(e.index)) continue;
    const partner = unmatchedAct.find((a) => !pairedElsewhere.has(a.index) && matches(e, a));
    if (partner === undefined) {
      missing.push(expectedDiff(e));
    } else {
      pairedElsewhere.add(partner.index);
      outOfOrder.push({ ...expectedDiff(e), ...actualPosition(partner) });
    }
  }
  const extra = unmatchedAct
    .filter((a) => !pairedElsewhere.has(a.index))
    .map((a) => ({ item: a.item, text: describeItem(a.item), ...actualPosition(a) }));

  return {
    ok: missing.length === 0 && extra.length === 0 && outOfOrder.length === 0,
    matched: pairs.length,
    missing,
    extra,
    outOfOrder,
    expectedCount: exp.length,
    actualCount: act.length,
  };
}

function comparable(input: FlowInput): Comparable[] {
  const { items, participants } = Array.isArray(input)
    ? { items: input as readonly FlowItem[], participants: undefined }
    : (input as Exclude<FlowInput, readonly FlowItem[]>);
  const keyOf = lifelineKeys(participants);
  return items.map((item, index) => {
    const words = wordsOf(itemText(item));
    return { item, index, key: matchKey(item, keyOf), words, wordSet: new Set(words) };
  });
}

/** What must be equal for two items to match: kind and lifelines (by role). */
function matchKey(item: FlowItem, keyOf: (id: string) => string): string {
  switch (item.kind) {
    case "arrow":
    case "relation":
      return `${item.kind}|${keyOf(item.from)}|${keyOf(item.to)}`;
    case "note":
      return `note|${[...new Set(item.over.map(keyOf))].sort().join(",")}`;
    case "block-start":
    case "block-end":
      return item.kind;
  }
}

function itemText(item: FlowItem): string {
  if (item.kind === "note") return item.text;
  return item.kind === "block-end" ? "" : item.label;
}

/** Words are runs of letters and digits, compared case-insensitively. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Same kind and lifelines, and every word of the expected text is in the actual text. */
function matches(expected: Comparable, actual: Comparable): boolean {
  return expected.key === actual.key && expected.words.every((word) => actual.wordSet.has(word));
}

/** Longest common subsequence under `matches`; returns matched [expectedIndex, actualIndex] pairs. */
function align(exp: readonly Comparable[], act: readonly Comparable[]): [number, number][] {
  const width = act.length + 1;
  // suffix[i][j] = size of the best alignment of exp[i..] with act[j..]; filling it from the end
  // lets the walk below take the earliest possible match at each step.
  // An alignment is never longer than the shorter list, so 16 bits per cell usually suffice.
  const cells = (exp.length + 1) * width;
  const suffix = Math.min(exp.length, act.length) < 0xffff ? new Uint16Array(cells) : new Uint32Array(cells);
  for (let i = exp.length - 1; i >= 0; i--) {
    for (let j = act.length - 1; j >= 0; j--) {
      const here = i * width + j;
      suffix[here] = matches(exp[i], act[j])
        ? suffix[here + width + 1] + 1
        : Math.max(suffix[here + width], suffix[here + 1]);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < exp.length && j < act.length) {
    const here = i * width + j;
    if (matches(exp[i], act[j]) && suffix[here] === suffix[here + width + 1] + 1) {
      pairs.push([i++, j++]);
    } else if (suffix[here + 1] >= suffix[here + width]) {
      j++; // prefer skipping actual items: recorded runs carry more detail than references
    } else {
      i++;
    }
  }
  return pairs;
}

function expectedDiff(e: Comparable): Diff {
  const diff: Diff = { item: e.item, text: describeItem(e.item), expectedIndex: e.index };
  if (e.item.line !== undefined) diff.line = e.item.line;
  return diff;
}

function actualPosition(a: Comparable): Pick<Diff, "actualIndex" | "seq"> {
  return a.item.seq === undefined ? { actualIndex: a.index } : { actualIndex: a.index, seq: a.item.seq };
}
