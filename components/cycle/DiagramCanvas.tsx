"use client";

// A frame to read a large drawing in: zoom (buttons, keys, ctrl/⌘ + wheel, trackpad pinch), fit to
// width or to the whole drawing, drag to pan, a header row with the lifeline names that stays on
// screen while scrolling, and, for long drawings, an overview of where the frame is. The zoom only
// changes how big the SVG is shown: the SVG itself (and so every export of it) stays as drawn.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";
import { readGeometry } from "./lifelines";
import type { ScrollSyncGroup } from "./scroll-sync";
import { anchoredScroll, resolveZoom, stepZoom, wheelZoom, zoomText, type Size, type ZoomSetting } from "./zoom";

/** Space around the drawing inside the frame, in px (the figure's padding; the drawing sits top left). */
const PAD = 16;
/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD = 4;
/** Wheel zooming is written back (to the URL) once the gesture pauses this long. */
const WHEEL_COMMIT_MS = 250;
/** Marks shown in the overview of a long drawing. */
const DEFAULT_MARKERS = ".is-selected, .is-current, .is-anomaly, [data-diff]";

export interface RevealTarget {
  /** CSS selector of the element of the drawing to bring into view. */
  selector: string;
  /** A new key brings the element into view again (a new selection of the same element). */
  key: string | number;
}

export interface DiagramCanvasProps {
  /**
   * The drawn SVG once it is on screen (null while drawing). The canvas sizes the SVG it finds in
   * its content; this tells it when there is a new one.
   */
  svg: SVGSVGElement | null;
  zoom: ZoomSetting;
  onZoomChange: (zoom: ZoomSetting) => void;
  /** Accessible name of the scrollable frame, e.g. "Diagram of cycle 2". */
  label: string;
  /** Brought into view (scrolled to and flashed) whenever it changes or the drawing does. */
  reveal?: RevealTarget | null;
  /** The overview re-reads the marks on the drawing when this changes. */
  marksKey?: string | number;
  markerSelector?: string;
  /** + / − / 0 / W / P anywhere on the page (one frame per page). */
  keyboardShortcuts?: boolean;
  /** Frames that scroll together. */
  scrollSync?: ScrollSyncGroup;
  testId?: string;
  children: ReactNode;
}

interface ScrollState {
  left: number;
  top: number;
  width: number;
  height: number;
  scrollWidth: number;
  scrollHeight: number;
}

interface Marker {
  /** Position in the content, 0 (top) … 1 (bottom). */
  at: number;
  kind: string;
}

export function DiagramCanvas(props: DiagramCanvasProps) {
  const { svg, zoom, onZoomChange, label, reveal, marksKey, markerSelector = DEFAULT_MARKERS, keyboardShortcuts = false, scrollSync, testId, children } = props;
  const viewportRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState<Size | null>(null);
  const [scroll, setScroll] = useState<ScrollState | null>(null);
  const [markers, setMarkers] = useState<{ svg: SVGSVGElement; list: Marker[] } | null>(null);
  /** A wheel gesture's scale until it is written back (and only for the zoom it started from). */
  const [live, setLive] = useState<{ scale: number; from: ZoomSetting } | null>(null);
  const [panning, setPanning] = useState(false);

  // The drawing's own size and lifelines (read from its SVG, which never changes once drawn).
  const geometry = useMemo(() => (svg ? readGeometry(svg) : null), [svg]);
  const natural = geometry ? { width: geometry.width, height: geometry.height } : null;
  const fitted = resolveZoom(zoom, natural, room);
  const scale = live !== null && live.from === zoom ? live.scale : fitted;

  // Where to keep still when the scale changes: the pointer (wheel) or the middle of the frame.
  const anchor = useRef<{ x: number; y: number } | null>(null);
  const shown = useRef<{ svg: SVGSVGElement | null; scale: number }>({ svg: null, scale: 1 });
  const scaleNow = useRef(scale);
  const zoomNow = useRef(zoom);
  const onZoomChangeRef = useRef(onZoomChange);
  useLayoutEffect(() => {
    scaleNow.current = scale;
    zoomNow.current = zoom;
    onZoomChangeRef.current = onZoomChange;
  });

  // The room the frame gives the drawing: measured before the first paint, then on every resize.
  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    const measure = () => {
      const maxHeight = Number.parseFloat(getComputedStyle(viewport).maxHeight);
      // Its height limit holds its borders, and a sideways scrollbar takes from it too.
      const chrome = viewport.offsetHeight - viewport.clientHeight;
      const height = Number.isFinite(maxHeight) ? maxHeight - chrome : viewport.clientHeight;
      setRoom((previous) => {
        const next = { width: Math.max(0, viewport.clientWidth - 2 * PAD), height: Math.max(0, height - 2 * PAD) };
        return previous && previous.width === next.width && previous.height === next.height ? previous : next;
      });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(viewport);
    return () => observer.disconnect();
  }, []);

  const readScroll = useCallback(() => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    const next: ScrollState = {
      left: viewport.scrollLeft,
      top: viewport.scrollTop,
      width: viewport.clientWidth,
      height: viewport.clientHeight,
      scrollWidth: viewport.scrollWidth,
      scrollHeight: viewport.scrollHeight,
    };
    setScroll((previous) => (previous && sameScroll(previous, next) ? previous : next));
  }, []);

  // Show the drawing at the scale, keeping the anchor point still when only the scale changed.
  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    const drawn = contentRef.current?.querySelector("svg");
    if (!drawn || !geometry || !viewport) return;
    drawn.style.maxWidth = "none";
    drawn.style.width = `${geometry.width * scale}px`;
    drawn.style.height = `${geometry.height * scale}px`;
    const previous = shown.current;
    if (previous.svg === drawn && previous.scale !== scale) {
      const point = anchor.current ?? { x: viewport.clientWidth / 2, y: viewport.clientHeight / 2 };
      viewport.scrollLeft = anchoredScroll(viewport.scrollLeft, point.x, previous.scale, scale, PAD);
      viewport.scrollTop = anchoredScroll(viewport.scrollTop, point.y, previous.scale, scale, PAD);
    }
    anchor.current = null;
    shown.current = { svg: drawn, scale };
  }, [svg, geometry, scale]);

  // Scroll position and size for the header and the overview, at most once a frame.
  useEffect(() => {
    const viewport = viewportRef.current;
    const content = contentRef.current;
    if (!viewport || !content) return;
    let frame = 0;
    const onChange = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        readScroll();
      });
    };
    viewport.addEventListener("scroll", onChange, { passive: true });
    const observer = new ResizeObserver(onChange);
    observer.observe(content);
    observer.observe(viewport);
    return () => {
      viewport.removeEventListener("scroll", onChange);
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [readScroll]);

  useEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport || !scrollSync) return;
    return scrollSync.join(viewport);
  }, [scrollSync]);

  // Ctrl/⌘ + wheel and trackpad pinch (a wheel event with ctrlKey) zoom around the pointer.
  const commitTimer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    function onWheel(event: WheelEvent) {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const box = viewport!.getBoundingClientRect();
      anchor.current = { x: event.clientX - box.left, y: event.clientY - box.top };
      const next = wheelZoom(scaleNow.current, event.deltaMode === 1 ? event.deltaY * 33 : event.deltaY);
      setLive({ scale: next, from: zoomNow.current });
      window.clearTimeout(commitTimer.current);
      commitTimer.current = window.setTimeout(() => onZoomChangeRef.current(Math.round(next * 100) / 100), WHEEL_COMMIT_MS);
    }
    viewport.addEventListener("wheel", onWheel, { passive: false });
    return () => {
      viewport.removeEventListener("wheel", onWheel);
      window.clearTimeout(commitTimer.current);
    };
  }, []);
  const change = useCallback(
    (next: ZoomSetting) => {
      anchor.current = null;
      setLive(null);
      onZoomChange(next);
    },
    [onZoomChange],
  );
  const zoomIn = useCallback(() => change(stepZoom(scaleNow.current, 1)), [change]);
  const zoomOut = useCallback(() => change(stepZoom(scaleNow.current, -1)), [change]);

  useEffect(() => {
    if (!keyboardShortcuts) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target && (target.isContentEditable || target.closest("input, textarea, select, dialog"))) return;
      const action = ZOOM_KEYS[event.key];
      if (!action) return;
      event.preventDefault();
      if (action === "in") zoomIn();
      else if (action === "out") zoomOut();
      else change(action === "reset" ? 1 : action);
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [keyboardShortcuts, zoomIn, zoomOut, change]);

  // Drag to pan (mouse and pen; touch scrolls natively). A drag is never also a click.
  const drag = useRef<{ id: number; x: number; y: number; left: number; top: number; moved: boolean } | null>(null);
  function onPointerDown(event: ReactPointerEvent<HTMLDivElement>) {
    if (event.button !== 0 || event.pointerType === "touch") return;
    const viewport = viewportRef.current;
    if (!viewport) return;
    // The scrollbars scroll by themselves.
    const box = viewport.getBoundingClientRect();
    if (event.clientX - box.left > viewport.clientWidth || event.clientY - box.top > viewport.clientHeight) return;
    drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop, moved: false };
  }
  function onPointerMove(event: ReactPointerEvent<HTMLDivElement>) {
    const current = drag.current;
    const viewport = viewportRef.current;
    if (!current || !viewport || current.id !== event.pointerId) return;
    const dx = event.clientX - current.x;
    const dy = event.clientY - current.y;
    if (!current.moved) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      current.moved = true;
      setPanning(true);
      viewport.setPointerCapture(event.pointerId);
      window.getSelection()?.removeAllRanges();
    }
    viewport.scrollLeft = current.left - dx;
    viewport.scrollTop = current.top - dy;
  }
  function onPointerEnd(event: ReactPointerEvent<HTMLDivElement>) {
    const current = drag.current;
    if (!current || current.id !== event.pointerId) return;
    drag.current = null;
    if (!current.moved) return;
    setPanning(false);
    const viewport = viewportRef.current;
    if (viewport?.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
    // The click that ends a drag selects nothing.
    const swallow = (click: MouseEvent) => {
      click.stopPropagation();
      click.preventDefault();
    };
    window.addEventListener("click", swallow, { capture: true, once: true });
    window.setTimeout(() => window.removeEventListener("click", swallow, { capture: true }), 0);
  }

  // Bring the target into view: scrolled to inside the frame, and the frame onto the page.
  const revealSelector = reveal?.selector ?? null;
  const revealKey = reveal?.key ?? null;
  useEffect(() => {
    if (!svg || revealSelector === null) return;
    const frame = requestAnimationFrame(() => {
      const viewport = viewportRef.current;
      const element = svg.querySelector(revealSelector);
      if (!viewport || !element) return;
      bringIntoView(viewport, element, headerHeightOf(viewport));
      element.classList.remove("wl-revealed");
      // Restart the flash: reading layout in between makes the browser see the class go and come back.
      void (element as SVGGraphicsElement).getBoundingClientRect();
      element.classList.add("wl-revealed");
    });
    return () => cancelAnimationFrame(frame);
  }, [svg, revealSelector, revealKey]);

  // The marks in the overview, read from the drawing once it is marked and sized.
  useEffect(() => {
    if (!svg) return;
    const frame = requestAnimationFrame(() => {
      const box = svg.getBoundingClientRect();
      if (box.height <= 0) return;
      const found: Marker[] = [];
      for (const element of svg.querySelectorAll(markerSelector)) {
        const rect = element.getBoundingClientRect();
        const kind = element.classList.contains("is-selected")
          ? "selected"
          : element.classList.contains("is-current")
            ? "current"
            : element.classList.contains("is-anomaly")
              ? "anomaly"
              : "diff";
        found.push({ at: (rect.top + rect.height / 2 - box.top) / box.height, kind });
      }
      setMarkers({ svg, list: found });
    });
    return () => cancelAnimationFrame(frame);
  }, [svg, marksKey, markerSelector, scale]);

  const headerBottom = geometry ? Math.max(0, ...geometry.lifelines.map((line) => line.bottom)) : 0;
  const stuck = scroll !== null && geometry !== null && geometry.lifelines.length > 0 && scroll.top > PAD + headerBottom * scale * 0.6;
  const shownMarkers = markers !== null && markers.svg === svg ? markers.list : [];
  const long = scroll !== null && scroll.scrollHeight > scroll.height * 1.5;
  const visibleFrom = scroll && scroll.scrollHeight > 0 ? scroll.top / scroll.scrollHeight : 0;
  const visibleTo = scroll && scroll.scrollHeight > 0 ? Math.min(1, (scroll.top + scroll.height) / scroll.scrollHeight) : 1;

  function scrollToFraction(fraction: number) {
    const viewport = viewportRef.current;
    if (!viewport) return;
    viewport.scrollTop = Math.max(0, fraction * viewport.scrollHeight - viewport.clientHeight / 2);
  }
  const overviewDrag = useRef<number | null>(null);
  function onOverviewPointer(event: ReactPointerEvent<HTMLDivElement>) {
    if (event.type === "pointerdown") {
      overviewDrag.current = event.pointerId;
      event.currentTarget.setPointerCapture(event.pointerId);
    } else if (overviewDrag.current !== event.pointerId) return;
    const box = event.currentTarget.getBoundingClientRect();
    scrollToFraction((event.clientY - box.top) / box.height);
  }

  const fitName = zoom === "width" ? "width" : zoom === "page" ? "page" : null;
  return (
    <div className="diagram-frame" data-testid={testId ?? "diagram-frame"} data-scale={scale.toFixed(3)} data-zoom={typeof zoom === "number" ? String(zoom) : zoom}>
      <div className="zoom-bar" role="group" aria-label="Zoom">
        <button type="button" className="button-secondary" onClick={zoomOut} aria-label="Zoom out" title="Zoom out (−)">
          −
        </button>
        <output className="zoom-level" aria-live="polite" aria-label="Zoom level" data-testid="zoom-level">
          {zoomText(scale)}
        </output>
        <button type="button" className="button-secondary" onClick={zoomIn} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" className="button-secondary" onClick={() => change(1)} aria-pressed={fitName === null && Math.abs(scale - 1) < 0.005} title="The drawing's own size, 100% (0)">
          Actual size
        </button>
        <button type="button" className="button-secondary" onClick={() => change("width")} aria-pressed={fitName === "width"} title="Fit to width (W)">
          Fit width
        </button>
        <button type="button" className="button-secondary" onClick={() => change("page")} aria-pressed={fitName === "page"} title="Fit the whole diagram (P)">
          Fit page
        </button>
        {long && (
          <span className="zoom-position muted" data-testid="diagram-position">
            Showing {Math.round(visibleFrom * 100)}–{Math.round(visibleTo * 100)}% of the diagram&rsquo;s height
          </span>
        )}
        <span className="zoom-hint muted">Drag to pan · Ctrl + wheel to zoom</span>
      </div>
      <div className="diagram-stage">
        <div
          ref={viewportRef}
          className={panning ? "diagram-viewport is-panning" : "diagram-viewport"}
          data-testid="diagram-viewport"
          role="region"
          aria-label={label}
          tabIndex={0}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
        >
          {geometry && geometry.lifelines.length > 0 && (
            <div
              className="lifeline-header"
              data-testid="lifeline-header"
              data-stuck={stuck ? "true" : "false"}
              aria-hidden="true"
              style={{ width: `${PAD * 2 + geometry.width * scale}px` }}
            >
              {geometry.lifelines.map((line) => (
                <span
                  key={line.id}
                  className="lifeline-header-box"
                  data-lifeline={line.id}
                  style={{
                    // Centred on its lifeline; as wide as the drawn box, or as its name when zoomed out.
                    left: `${PAD + (line.x + line.width / 2) * scale}px`,
                    minWidth: `${line.width * scale}px`,
                    background: line.fill,
                    borderColor: line.stroke,
                    fontSize: `${Math.max(10, Math.min(15, 16 * scale))}px`,
                  }}
                >
                  {line.name}
                </span>
              ))}
            </div>
          )}
          <div ref={contentRef} className="diagram-content">
            {children}
          </div>
        </div>
        {long && scroll && (
          <div
            className="diagram-overview"
            data-testid="diagram-overview"
            aria-hidden="true"
            onPointerDown={onOverviewPointer}
            onPointerMove={onOverviewPointer}
            onPointerUp={() => (overviewDrag.current = null)}
          >
            {shownMarkers.map((marker, index) => (
              <span key={index} className={`overview-marker overview-${marker.kind}`} style={{ top: `${marker.at * 100}%` }} />
            ))}
            <span className="overview-thumb" style={{ top: `${visibleFrom * 100}%`, height: `${Math.max(2, (visibleTo - visibleFrom) * 100)}%` }} />
          </div>
        )}
      </div>
    </div>
  );
}

const ZOOM_KEYS: Record<string, "in" | "out" | "reset" | "width" | "page"> = {
  "+": "in",
  "=": "in",
  "-": "out",
  "0": "reset",
  w: "width",
  W: "width",
  p: "page",
  P: "page",
};

function sameScroll(a: ScrollState, b: ScrollState): boolean {
  return (
    a.left === b.left &&
    a.top === b.top &&
    a.width === b.width &&
    a.height === b.height &&
    a.scrollWidth === b.scrollWidth &&
    a.scrollHeight === b.scrollHeight
  );
}

function headerHeightOf(viewport: HTMLElement): number {
  const header = viewport.querySelector<HTMLElement>(".lifeline-header");
  return header ? header.offsetHeight : 0;
}

/**
 * Scrolls `viewport` so that `element` is on screen (centred when it was not), then the page so
 * that the element is in the window. Nothing moves for an element already in view.
 */
function bringIntoView(viewport: HTMLElement, element: Element, topInset: number): void {
  const margin = 12;
  const frame = viewport.getBoundingClientRect();
  let box = element.getBoundingClientRect();
  const top = frame.top + topInset + margin;
  const bottom = frame.top + viewport.clientHeight - margin;
  const left = frame.left + margin;
  const right = frame.left + viewport.clientWidth - margin;
  if (box.top < top || box.bottom > bottom) {
    const middle = (top + bottom) / 2;
    viewport.scrollTop += box.height > bottom - top ? box.top - top : box.top + box.height / 2 - middle;
  }
  if (box.left < left || box.right > right) {
    const centre = (left + right) / 2;
    viewport.scrollLeft += box.width > right - left ? box.left - left : box.left + box.width / 2 - centre;
  }
  box = element.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight || box.left < 0 || box.right > window.innerWidth) {
    viewport.scrollIntoView({ block: "nearest", inline: "nearest" });
    box = element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) element.scrollIntoView({ block: "center", inline: "nearest" });
  }
}
