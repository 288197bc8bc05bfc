// How a comparison is shown, kept in the URL next to what is compared, so a reload, back/forward
// or a share link shows it the same way: `layout=stacked`, `zoom=150|width|page`, `sync=off`
// (defaults — side by side, 100%, scrolling together — are left out). Pure.
import { formatZoom, parseZoom, type ZoomSetting } from "../cycle/zoom";

export type CompareLayout = "side" | "stacked";

export interface CompareViewSettings {
  layout: CompareLayout;
  zoom: ZoomSetting;
  /** Scroll both diagrams together. */
  together: boolean;
}

export const DEFAULT_COMPARE_SETTINGS: CompareViewSettings = { layout: "side", zoom: 1, together: true };

/** The parameters this module owns; the comparison's own (`a`, `b`, `with`) are left alone. */
export const COMPARE_VIEW_PARAMS = ["layout", "zoom", "sync"] as const;

interface ParamReader {
  get(name: string): string | null;
}

/** Unknown or malformed values read as the defaults. */
export function parseCompareSettings(params: ParamReader): CompareViewSettings {
  return {
    layout: params.get("layout") === "stacked" ? "stacked" : "side",
    zoom: parseZoom(params.get("zoom")) ?? 1,
    together: params.get("sync") !== "off",
  };
}

/** `params` with the settings written in (defaults removed), other parameters kept in place. */
export function withCompareSettings(params: URLSearchParams, settings: CompareViewSettings): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of COMPARE_VIEW_PARAMS) next.delete(name);
  if (settings.layout !== "side") next.set("layout", settings.layout);
  if (settings.zoom !== 1) next.set("zoom", formatZoom(settings.zoom));
  if (!settings.together) next.set("sync", "off");
  return next;
}

/** `href` (a compare address) carrying the settings found in `search`: choosing other cycles keeps how they are shown. */
export function keepCompareSettings(href: string, search: string): string {
  const [path, query = ""] = href.split("?");
  const settings = parseCompareSettings(new URLSearchParams(search));
  // Colons in `a` / `b` stay readable, as compareHref writes them.
  const text = withCompareSettings(new URLSearchParams(query), settings).toString().replace(/%3A/gi, ":");
  return text === "" ? path : `${path}?${text}`;
}
