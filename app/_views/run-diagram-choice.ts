// What the run page draws: the actor's whole run (when it is small enough to read as one diagram),
// one of its cycles, or a range of consecutive cycles — written in the URL as `draw=run`, `draw=3`
// or `draw=3-7`. A run of any length therefore opens on something drawable, and a drawing that turns
// out too large offers smaller ones instead of stopping there. Pure.
import type { CycleInfo } from "@/lib/trace/types";

export type RunDiagramChoice = { kind: "run" } | { kind: "cycles"; from: number; to: number };

/** Up to this many events, the run page opens on the whole run. */
export const WHOLE_RUN_DEFAULT_MAX_EVENTS = 2_000;
/** Past this many events the whole run is not even fetched as one diagram. */
export const WHOLE_RUN_MAX_EVENTS = 20_000;
/** Most cycles drawn at once (the events API serves at most this many). */
export const MAX_CYCLES_AT_ONCE = 50;

export function parseDraw(value: string | null | undefined): RunDiagramChoice | null {
  if (value === "run") return { kind: "run" };
  const match = /^([1-9]\d{0,8})(?:-([1-9]\d{0,8}))?$/.exec(value ?? "");
  if (!match) return null;
  const a = Number(match[1]);
  const b = match[2] === undefined ? a : Number(match[2]);
  const from = Math.min(a, b);
  return { kind: "cycles", from, to: Math.min(Math.max(a, b), from + MAX_CYCLES_AT_ONCE - 1) };
}

export function formatDraw(choice: RunDiagramChoice): string {
  if (choice.kind === "run") return "run";
  return choice.from === choice.to ? String(choice.from) : `${choice.from}-${choice.to}`;
}

/** "the whole run", "cycle 3", "cycles 3–7". */
export function choiceName(choice: RunDiagramChoice): string {
  if (choice.kind === "run") return "the whole run";
  return choice.from === choice.to ? `cycle ${choice.from}` : `cycles ${choice.from}–${choice.to}`;
}

export interface RunSize {
  eventCount: number;
  status: string;
}

/** Whether the whole run may be drawn as one diagram at all. */
export function wholeRunDrawable(run: RunSize): boolean {
  return run.eventCount <= WHOLE_RUN_MAX_EVENTS;
}

/**
 * What the page opens on: the whole run when it is small (or has no cycle to pick), else one cycle —
 * the latest while the run records (where things happen), the first otherwise.
 */
export function defaultChoice(run: RunSize, cycles: readonly Pick<CycleInfo, "ordinal">[]): RunDiagramChoice {
  if (cycles.length === 0 || run.eventCount <= WHOLE_RUN_DEFAULT_MAX_EVENTS) return { kind: "run" };
  const ordinal = run.status === "running" ? cycles[cycles.length - 1].ordinal : cycles[0].ordinal;
  return { kind: "cycles", from: ordinal, to: ordinal };
}

/** The choice asked for, brought into the cycles that exist; the default when there is none to honour. */
export function resolveChoice(asked: RunDiagramChoice | null, run: RunSize, cycles: readonly Pick<CycleInfo, "ordinal">[]): RunDiagramChoice {
  if (asked === null) return defaultChoice(run, cycles);
  if (asked.kind === "run") return asked;
  const ordinals = cycles.map((cycle) => cycle.ordinal);
  if (ordinals.length === 0) return { kind: "run" };
  const first = ordinals[0];
  const last = ordinals[ordinals.length - 1];
  if (asked.from > last) return defaultChoice(run, cycles);
  const from = Math.max(first, asked.from);
  const to = Math.min(last, Math.max(from, asked.to), from + MAX_CYCLES_AT_ONCE - 1);
  return { kind: "cycles", from, to };
}

/** Smaller drawings to offer when `choice` is too large to draw: a shorter range, then one cycle. */
export function smallerChoices(choice: RunDiagramChoice, cycles: readonly Pick<CycleInfo, "ordinal">[]): RunDiagramChoice[] {
  if (cycles.length === 0) return [];
  const offers: RunDiagramChoice[] = [];
  const add = (from: number, to: number) => {
    if (!offers.some((offer) => offer.kind === "cycles" && offer.from === from && offer.to === to)) offers.push({ kind: "cycles", from, to });
  };
  if (choice.kind === "run") {
    const first = cycles[0].ordinal;
    const last = cycles[cycles.length - 1].ordinal;
    if (last > first) add(first, Math.min(last, first + 4));
    add(first, first);
    if (last !== first) add(last, last);
    return offers;
  }
  if (choice.to > choice.from) {
    const half = choice.from + Math.floor((choice.to - choice.from) / 2);
    if (half > choice.from) add(choice.from, half);
    add(choice.from, choice.from);
  }
  return offers;
}
