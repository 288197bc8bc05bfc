// Everything about how a cycle is viewed lives in the URL, so a link (or a share token that stores
// the link) restores the same view, and back/forward step through view changes. Pure.
//
// Parameters (defaults are left out of the URL):
//   detail=full            housekeeping shown (default: the reference level)
//   runners=split          one Runner / Runner WS / Runner Workflow lifeline per runner
//   hide=RWS,SE            hidden lifelines (short role names)
//   hideTypes=A,B          hidden message / note types
//   at=<seq>               replay position: the diagram is drawn up to this event (absent: all)
//   sel=<seq>              the selected event (detail panel)
//   win=<seq>              first event of a window the user picked in a large cycle
//   tz=local               absolute times in the browser's time zone (default UTC)
//   rate=<n>               replay speed
//   through=<ordinal>      draw the cycles from this page's cycle through this one, as one
//   zoom=<percent|width|page>  zoom of the drawing (default: 100%, its own size)
import { formatZoom, parseZoom, type ZoomSetting } from "@/components/cycle/zoom";
import { ROLES, ROLE_SHORT, type Role } from "@/lib/trace/types";

export type Detail = "default" | "full";
export type RunnerLayout = "merged" | "split";
export type TimeZoneChoice = "utc" | "local";

export const REPLAY_RATES = [0.5, 1, 2, 4, 8] as const;
export type ReplayRate = (typeof REPLAY_RATES)[number];

export interface CycleViewState {
  detail: Detail;
  runners: RunnerLayout;
  hiddenRoles: Role[];
  hiddenTypes: string[];
  at: number | null;
  sel: number | null;
  win: number | null;
  tz: TimeZoneChoice;
  rate: ReplayRate;
  through: number | null;
  /** null: 100% (the drawing's own size). */
  zoom: ZoomSetting | null;
}

export const DEFAULT_VIEW_STATE: CycleViewState = {
  detail: "default",
  runners: "merged",
  hiddenRoles: [],
  hiddenTypes: [],
  at: null,
  sel: null,
  win: null,
  tz: "utc",
  rate: 1,
  through: null,
  zoom: null,
};

/** The view parameters this module owns; any other parameter (e.g. `actor`) is left alone. */
export const VIEW_PARAMS = ["detail", "runners", "hide", "hideTypes", "at", "sel", "win", "tz", "rate", "through", "zoom"] as const;

const ROLE_BY_SHORT = new Map<string, Role>(ROLES.map((role) => [ROLE_SHORT[role], role]));
const TYPE_NAME = /^[A-Za-z0-9_:.-]{1,80}$/;
const MAX_HIDDEN_TYPES = 100;

export interface ParamReader {
  get(name: string): string | null;
}

/**
 * Reads the view from URL parameters. Lenient on purpose: a hand-edited or old link still opens,
 * with whatever part of it is not understood left at its default.
 */
export function parseViewState(params: ParamReader): CycleViewState {
  const rate = Number(params.get("rate"));
  return {
    detail: params.get("detail") === "full" ? "full" : "default",
    runners: params.get("runners") === "split" ? "split" : "merged",
    hiddenRoles: unique(list(params.get("hide")).flatMap((name) => ROLE_BY_SHORT.get(name) ?? (isRole(name) ? [name] : []))).sort(
      (a, b) => ROLES.indexOf(a) - ROLES.indexOf(b),
    ),
    hiddenTypes: unique(list(params.get("hideTypes")).filter((name) => TYPE_NAME.test(name)))
      .slice(0, MAX_HIDDEN_TYPES)
      .sort(),
    at: seqParam(params.get("at")),
    sel: seqParam(params.get("sel")),
    win: seqParam(params.get("win")),
    tz: params.get("tz") === "local" ? "local" : "utc",
    rate: (REPLAY_RATES as readonly number[]).includes(rate) ? (rate as ReplayRate) : 1,
    through: seqParam(params.get("through")),
    zoom: parseZoom(params.get("zoom")),
  };
}

/** Writes the view into a copy of `base` (other parameters kept), leaving defaults out. */
export function writeViewState(base: URLSearchParams, state: CycleViewState): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const name of VIEW_PARAMS) params.delete(name);
  if (state.detail !== "default") params.set("detail", state.detail);
  if (state.runners !== "merged") params.set("runners", state.runners);
  if (state.hiddenRoles.length > 0) params.set("hide", state.hiddenRoles.map((role) => ROLE_SHORT[role]).join(","));
  if (state.hiddenTypes.length > 0) params.set("hideTypes", state.hiddenTypes.join(","));
  if (state.at !== null) params.set("at", String(state.at));
  if (state.sel !== null) params.set("sel", String(state.sel));
  if (state.win !== null) params.set("win", String(state.win));
  if (state.tz !== "utc") params.set("tz", state.tz);
  if (state.rate !== 1) params.set("rate", String(state.rate));
  if (state.through !== null) params.set("through", String(state.through));
  if (state.zoom !== null && state.zoom !== 1) params.set("zoom", formatZoom(state.zoom));
  return params;
}

/** The query string of `base` with `change` applied to its view. */
export function nextSearch(base: URLSearchParams, change: Partial<CycleViewState>): string {
  const state = { ...parseViewState(base), ...change };
  const text = writeViewState(base, state).toString();
  return text === "" ? "" : `?${text}`;
}

function list(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name);
}

/** A positive whole number (an event seq, a cycle ordinal), or null. */
function seqParam(value: string | null): number | null {
  if (value === null || !/^[1-9]\d{0,14}$/.test(value)) return null;
  return Number(value);
}
