// Makes a Mermaid sequence diagram's SVG interactive. Mermaid has no click for sequence diagrams,
// so the drawn messages and notes are found in the SVG and tagged with the seq of the event they
// show (from `seqsInDrawingOrder`: Mermaid draws messages, and notes, each in source order).
import type { SeqsInDrawingOrder } from "@/lib/diagram";

const SVG_NS = "http://www.w3.org/2000/svg";
/** Tagged drawn items carry this attribute; its value is the event seq. */
export const SEQ_ATTRIBUTE = "data-seq";

/** Mermaid numbers its statements `i0`, `i1`, … in `data-id`; sort by that number. */
function bySourceOrder(elements: Element[]): Element[] {
  const order = (element: Element) => Number((element.getAttribute("data-id") ?? "").replace(/^\D+/, "")) || 0;
  return [...elements].sort((a, b) => order(a) - order(b));
}

function messageElements(svg: SVGSVGElement): Element[] {
  const tagged = [...svg.querySelectorAll('[data-et="message"]')];
  // Older Mermaid versions draw the same lines without data-et: document order is source order.
  return tagged.length > 0 ? bySourceOrder(tagged) : [...svg.querySelectorAll(".messageLine0, .messageLine1")];
}

function noteElements(svg: SVGSVGElement): Element[] {
  const tagged = [...svg.querySelectorAll('[data-et="note"]')];
  return tagged.length > 0 ? bySourceOrder(tagged) : [...svg.querySelectorAll("rect.note")].map((rect) => rect.parentElement ?? rect);
}

/**
 * Wraps each drawn message (its line and label) in a focusable group, and tags each note, with
 * the event's seq and an accessible name. Returns the number of items tagged; 0 when the drawing
 * does not match the flow (then it is left as Mermaid drew it).
 */
export function tagDiagramItems(svg: SVGSVGElement, seqs: SeqsInDrawingOrder, describe: (seq: number) => string): number {
  if (svg.querySelector(`[${SEQ_ATTRIBUTE}]`)) return 0; // tagged already
  const messages = messageElements(svg);
  const notes = noteElements(svg);
  if (messages.length !== seqs.messages.length || notes.length !== seqs.notes.length) return 0;
  let tagged = 0;
  // Every box is measured before the drawing is changed: measuring after each change would make
  // the browser lay the whole drawing out again once per message.
  const parts = messages.map((line) => ({ line, labels: labelsOf(line) }));
  const boxes = parts.map(({ line, labels }) => unionBox([line, ...labels]));
  parts.forEach(({ line, labels }, index) => {
    const seq = seqs.messages[index];
    if (seq === null || line.parentNode === null) return;
    const group = document.createElementNS(SVG_NS, "g");
    line.parentNode.insertBefore(group, labels[0] ?? line);
    for (const label of labels) group.appendChild(label);
    group.appendChild(line);
    // A wide invisible twin of the line, so a two-pixel arrow is easy to hit with the mouse.
    const hit = line.cloneNode(false) as Element;
    hit.removeAttribute("class");
    hit.removeAttribute("marker-end");
    hit.removeAttribute("data-et");
    hit.removeAttribute("data-id");
    hit.removeAttribute("style");
    hit.setAttribute("class", "wl-hit");
    group.appendChild(hit);
    coverWithHitArea(group, boxes[index]);
    makeItem(group, "wl-message", seq, nameWithText(describe(seq), drawnText(labels)));
    tagged++;
  });
  notes.forEach((note, index) => {
    const seq = seqs.notes[index];
    if (seq === null) return;
    makeItem(note, "wl-note", seq, nameWithText(describe(seq), drawnText([...note.querySelectorAll("text")])));
    tagged++;
  });
  return tagged;
}

/** The text a drawn item shows, its lines joined by a space (Mermaid draws an empty label as U+200B). */
export function drawnText(elements: readonly Element[]): string {
  return elements
    .map((element) => element.textContent ?? "")
    .join(" ")
    .replace(/[\u200b\s]+/g, " ")
    .trim();
}

/**
 * An item's accessible name holds the text it shows (so speech input and screen readers agree with
 * the eye): the description when it already says it, else the shown text first.
 */
export function nameWithText(description: string, shown: string): string {
  const plain = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();
  if (shown === "" || plain(description).includes(plain(shown))) return description;
  return `${shown} — ${description}`;
}

/** Mermaid writes a message's label (one text element per line) just before its line. */
function labelsOf(line: Element): Element[] {
  const labels: Element[] = [];
  for (let sibling = line.previousElementSibling; sibling?.classList.contains("messageText"); sibling = sibling.previousElementSibling) {
    labels.unshift(sibling);
  }
  return labels;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box around elements that share one coordinate system (siblings); null when not laid out. */
function unionBox(elements: readonly Element[]): Box | null {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const element of elements) {
    let box: DOMRect;
    try {
      box = (element as SVGGraphicsElement).getBBox();
    } catch {
      return null; // not laid out (detached): the line and label stay clickable
    }
    left = Math.min(left, box.x);
    top = Math.min(top, box.y);
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  return Number.isFinite(left) ? { x: left, y: top, width: right - left, height: bottom - top } : null;
}

/** A transparent box behind a message's label and arrow: anywhere on it selects the message. */
function coverWithHitArea(group: SVGGElement, box: Box | null): void {
  if (box === null || (box.width === 0 && box.height === 0)) return;
  const area = document.createElementNS(SVG_NS, "rect");
  area.setAttribute("class", "wl-hit-area");
  area.setAttribute("x", String(box.x));
  area.setAttribute("y", String(box.y));
  area.setAttribute("width", String(box.width));
  area.setAttribute("height", String(box.height));
  group.insertBefore(area, group.firstChild);
}

function makeItem(element: Element, kind: string, seq: number, name: string): void {
  element.classList.add("wl-item", kind);
  element.setAttribute(SEQ_ATTRIBUTE, String(seq));
  element.setAttribute("tabindex", "0");
  element.setAttribute("role", "button");
  element.setAttribute("aria-label", name);
}

export interface ItemMarks {
  selected: number | null;
  current: number | null;
  anomalies: ReadonlySet<number>;
}

/** Sets the state classes of tagged items (selected, replay step, anomaly). */
export function markDiagramItems(svg: SVGSVGElement, marks: ItemMarks): void {
  for (const item of svg.querySelectorAll(`[${SEQ_ATTRIBUTE}]`)) {
    const seq = Number(item.getAttribute(SEQ_ATTRIBUTE));
    item.classList.toggle("is-selected", seq === marks.selected);
    item.classList.toggle("is-current", seq === marks.current);
    item.classList.toggle("is-anomaly", marks.anomalies.has(seq));
    if (seq === marks.selected) item.setAttribute("aria-pressed", "true");
    else item.removeAttribute("aria-pressed");
  }
}

/** The seq of the tagged item an event happened in, if any. */
export function seqOfTarget(target: EventTarget | null): number | null {
  if (!(target instanceof Element)) return null;
  const item = target.closest(`[${SEQ_ATTRIBUTE}]`);
  if (!item) return null;
  const seq = Number(item.getAttribute(SEQ_ATTRIBUTE));
  return Number.isInteger(seq) ? seq : null;
}
