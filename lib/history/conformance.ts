// Conformance of a real-engine recording with a reference diagram. The references draw the
// simulated engine, where every command and event is relayed through the Runner Workflow
// (`AWF->>RWF: Send StartActor`, `RWF->>RWS:`). The real engine (gen 2) sends them from the actor
// workflow to the runner's socket directly: its runner workflow creates the runner and allocates
// pending actors, nothing more. So before comparing, the reference is read the way the real engine
// works (each option is documented in docs/recording-a-real-engine.md):
//  - `bypassRelays`: a message to a bypassed lifeline followed at once by its relay from that
//    lifeline (`X->>RWF: label`, `RWF->>Y:` with an empty label) is compared as `X->>Y: label`;
//    so is a chain of such relays. Other items on that lifeline stay expected.
//  - `sharedLifelines`: items that touch a lifeline only one side draws are left out on both sides.
//  - `ignorePreconditions`: notes before the reference's first message or block state how things
//    stood before the flow (e.g. "Actor already created and sleeping") and are not compared.
// Pure.
import { compareFlows, lifelineKeys, parseMermaidSequence, type ConformanceReport } from "@/lib/conformance";
import type { DiagramFlow, FlowItem, Participant } from "@/lib/diagram";
import type { Role } from "@/lib/trace/types";

export interface RealConformanceOptions {
  /** Roles the real engine routes relays around (default: the Runner Workflow). */
  bypassRelays?: readonly Role[];
  /** Compare only lifelines both flows draw (default true). */
  sharedLifelines?: boolean;
  /** Skip the reference's leading notes (default false). */
  ignorePreconditions?: boolean;
}

export const REAL_ENGINE_DEFAULTS: Required<RealConformanceOptions> = {
  bypassRelays: ["RunnerWorkflow"],
  sharedLifelines: true,
  ignorePreconditions: false,
};

export interface Comparable {
  participants: Participant[];
  items: FlowItem[];
}

export function conformRealFlow(referenceText: string, actual: DiagramFlow, options: RealConformanceOptions = {}): ConformanceReport {
  const adapted = adaptForRealEngine(parseMermaidSequence(referenceText), { participants: actual.participants, items: actual.items }, options);
  return compareFlows(adapted.expected, adapted.actual);
}

export function adaptForRealEngine(expected: Comparable, actual: Comparable, options: RealConformanceOptions = {}): { expected: Comparable; actual: Comparable } {
  const settings = { ...REAL_ENGINE_DEFAULTS, ...options };
  const expectedKey = lifelineKeys(expected.participants);
  const actualKey = lifelineKeys(actual.participants);
  let expectedItems = [...expected.items];
  if (settings.ignorePreconditions) {
    const first = expectedItems.findIndex((item) => item.kind !== "note");
    expectedItems = first < 0 ? [] : expectedItems.slice(first);
  }
  const bypassed = new Set<string>(settings.bypassRelays);
  if (bypassed.size > 0) expectedItems = collapseRelays(expectedItems, (id) => bypassed.has(expectedKey(id)));
  let actualItems = [...actual.items];
  if (settings.sharedLifelines) {
    const inExpected = lifelinesOf(expectedItems, expectedKey);
    const inActual = lifelinesOf(actualItems, actualKey);
    const shared = new Set([...inExpected].filter((key) => inActual.has(key)));
    expectedItems = expectedItems.filter((item) => touches(item, expectedKey).every((key) => shared.has(key)));
    actualItems = actualItems.filter((item) => touches(item, actualKey).every((key) => shared.has(key)));
  }
  return { expected: { participants: expected.participants, items: expectedItems }, actual: { participants: actual.participants, items: actualItems } };
}

/** `X->>B: label` + `B->>Y:` (a relay, empty label) → `X->>Y: label`, for bypassed lifelines B. */
function collapseRelays(items: FlowItem[], isBypassed: (id: string) => boolean): FlowItem[] {
  const out: FlowItem[] = [];
  for (const item of items) {
    const previous = out[out.length - 1];
    if (
      item.kind === "arrow" &&
      item.label.trim() === "" &&
      isBypassed(item.from) &&
      previous?.kind === "arrow" &&
      previous.to === item.from &&
      !isBypassed(item.to)
    ) {
      out[out.length - 1] = { ...previous, to: item.to };
      continue;
    }
    out.push(item);
  }
  return out;
}

function touches(item: FlowItem, keyOf: (id: string) => string): string[] {
  switch (item.kind) {
    case "arrow":
    case "relation":
      return [keyOf(item.from), keyOf(item.to)];
    case "note":
      return item.over.map(keyOf);
    default:
      return [];
  }
}

function lifelinesOf(items: readonly FlowItem[], keyOf: (id: string) => string): Set<string> {
  return new Set(items.flatMap((item) => touches(item, keyOf)));
}
