// The lifelines of a drawn Mermaid sequence diagram, read from its SVG: where each participant's box
// is, what it says and how it is coloured — for a header row that stays on screen. Browser-only.

export interface LifelineBox {
  /** Lifeline id as written in Mermaid (`G`, `RWS2`…). */
  id: string;
  /** Its title as drawn, lines joined by a space. */
  name: string;
  /** Left edge, width and height of its box, in drawing units from the drawing's top-left corner. */
  x: number;
  width: number;
  /** Bottom of the box, in drawing units from the top. */
  bottom: number;
  fill: string;
  stroke: string;
}

export interface DrawingGeometry {
  /** The drawing's own size (its viewBox). */
  width: number;
  height: number;
  lifelines: LifelineBox[];
}

export function readGeometry(svg: SVGSVGElement): DrawingGeometry | null {
  const box = svg.viewBox?.baseVal;
  if (!box || box.width <= 0 || box.height <= 0) return null;
  const lifelines: LifelineBox[] = [];
  for (const rect of svg.querySelectorAll<SVGRectElement>("rect.actor-top")) {
    const x = Number(rect.getAttribute("x"));
    const y = Number(rect.getAttribute("y"));
    const width = Number(rect.getAttribute("width"));
    const height = Number(rect.getAttribute("height"));
    if (![x, y, width, height].every(Number.isFinite)) continue;
    const texts = rect.parentElement ? [...rect.parentElement.querySelectorAll("text")] : [];
    const name = texts
      .map((text) => text.textContent ?? "")
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
    lifelines.push({
      id: rect.getAttribute("name") ?? name,
      name,
      x: x - box.x,
      width,
      bottom: y - box.y + height,
      fill: rect.style.fill || rect.getAttribute("fill") || "#eaeaea",
      stroke: rect.style.stroke || rect.getAttribute("stroke") || "#666666",
    });
  }
  lifelines.sort((a, b) => a.x - b.x);
  return { width: box.width, height: box.height, lifelines };
}
