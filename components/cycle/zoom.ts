// Zoom of a drawn diagram: a scale (1 = the drawing's own size, where its text is 16 px), or a fit
// that is worked out from the space on screen. Pure.

/** A fixed scale, or "fit the width" / "fit the whole drawing" of the frame it is shown in. */
export type ZoomSetting = number | "width" | "page";

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 4;
/** A fit never blows a small drawing up past this. */
export const MAX_FIT_ZOOM = 2;
/** One zoom-in or zoom-out step (buttons, keys). */
export const ZOOM_STEP = 1.25;

export interface Size {
  width: number;
  height: number;
}

export function clampZoom(scale: number): number {
  if (!Number.isFinite(scale)) return 1;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, scale));
}

/** The scale a setting means for a drawing of `natural` size in a frame with `room` to show it. */
export function resolveZoom(setting: ZoomSetting, natural: Size | null, room: Size | null): number {
  if (typeof setting === "number") return clampZoom(setting);
  if (!natural || !room || natural.width <= 0 || natural.height <= 0 || room.width <= 0) return 1;
  const byWidth = room.width / natural.width;
  const scale = setting === "width" || room.height <= 0 ? byWidth : Math.min(byWidth, room.height / natural.height);
  return Math.min(MAX_FIT_ZOOM, clampZoom(scale));
}

/** The next scale one step in or out, snapped to whole percents (and to 100% when it passes it). */
export function stepZoom(scale: number, direction: 1 | -1): number {
  const next = direction > 0 ? scale * ZOOM_STEP : scale / ZOOM_STEP;
  // Passing 100% on the way stops there: the drawing's own size is the one people come back to.
  if ((scale < 1 && next > 1) || (scale > 1 && next < 1)) return 1;
  return clampZoom(Math.round(next * 100) / 100);
}

/** The scale after a wheel (or trackpad pinch) gesture of `deltaY` pixels. */
export function wheelZoom(scale: number, deltaY: number): number {
  // A pinch sends small deltas, a mouse wheel ~100 per notch: both feel even this way.
  const factor = Math.exp(-Math.max(-300, Math.min(300, deltaY)) * 0.0025);
  return clampZoom(scale * factor);
}

/**
 * The scroll offset that keeps the point under `anchor` (a position in the frame, in px) in place
 * when the scale changes from `from` to `to`. `padding` is the space before the drawing.
 */
export function anchoredScroll(scroll: number, anchor: number, from: number, to: number, padding = 0): number {
  const point = (scroll + anchor - padding) / from;
  return Math.max(0, point * to + padding - anchor);
}

/** How a setting is written in a URL: `150` (percent), `width` or `page`. */
export function formatZoom(setting: ZoomSetting): string {
  return typeof setting === "number" ? String(Math.round(clampZoom(setting) * 100)) : setting;
}

/** Reads a zoom from a URL parameter; null for absent or unreadable (the default, 100%). */
export function parseZoom(value: string | null): ZoomSetting | null {
  if (value === null) return null;
  if (value === "width" || value === "page") return value;
  if (!/^\d{1,3}$/.test(value)) return null;
  const percent = Number(value);
  if (percent < MIN_ZOOM * 100 || percent > MAX_ZOOM * 100) return null;
  return percent === 100 ? null : percent / 100;
}

/** "125%" — what the zoom control shows. */
export function zoomText(scale: number): string {
  return `${Math.round(scale * 100)}%`;
}
