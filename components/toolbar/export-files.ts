// Turning the drawn diagram into files: a standalone SVG document, a PNG through a canvas, and the
// browser download itself. Browser-only (DOM, canvas, object URLs).

/**
 * The largest canvas Chromium draws: 65,535 px per side and 268,435,456 px in all (16,384²). Past
 * either limit the canvas stays blank, so a PNG that large is refused up front.
 */
export const CANVAS_MAX_SIDE = 65_535;
export const CANVAS_MAX_AREA = 268_435_456;
/** PNGs are drawn at twice the size on screen when that still fits, for sharp text. */
const PNG_SCALES = [2, 1] as const;

export interface Size {
  width: number;
  height: number;
}

/** The natural size of a Mermaid SVG: its viewBox (the on-screen size depends on the page width). */
export function svgSize(svg: SVGSVGElement): Size {
  const box = svg.viewBox?.baseVal;
  if (box && box.width > 0 && box.height > 0) return { width: Math.ceil(box.width), height: Math.ceil(box.height) };
  const rect = svg.getBoundingClientRect();
  return { width: Math.ceil(rect.width), height: Math.ceil(rect.height) };
}

export function fitsCanvas({ width, height }: Size): boolean {
  return width <= CANVAS_MAX_SIDE && height <= CANVAS_MAX_SIDE && width * height <= CANVAS_MAX_AREA;
}

/** The biggest PNG scale whose canvas the browser can draw, or null when even 1× is too large. */
export function pngScale(size: Size): number | null {
  return PNG_SCALES.find((scale) => fitsCanvas({ width: size.width * scale, height: size.height * scale })) ?? null;
}

/** A standalone SVG document of the drawing, at its natural size. */
export function serializeSvg(svg: SVGSVGElement): string {
  const { width, height } = svgSize(svg);
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  // On screen the drawing is zoomed (or squeezed to the page width); the file keeps its own size.
  copy.style.removeProperty("max-width");
  copy.style.removeProperty("width");
  copy.style.removeProperty("height");
  if (copy.getAttribute("style") === "") copy.removeAttribute("style");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

export class PngTooLargeError extends Error {
  constructor(readonly size: Size) {
    super(
      `The diagram is ${size.width.toLocaleString("en-US")} × ${size.height.toLocaleString("en-US")} px, larger than ` +
        `a browser canvas can draw (${CANVAS_MAX_SIDE.toLocaleString("en-US")} px per side, ` +
        `${(CANVAS_MAX_AREA / 1e6).toFixed(0)} million pixels in all), so it cannot be saved as PNG.`,
    );
    this.name = "PngTooLargeError";
  }
}

/** Draws the SVG on a canvas (white background, like the page) and encodes it as PNG. */
export async function svgToPng(svg: SVGSVGElement): Promise<Blob> {
  const size = svgSize(svg);
  const scale = pngScale(size);
  if (scale === null) throw new PngTooLargeError(size);
  const source = URL.createObjectURL(new Blob([serializeSvg(svg)], { type: "image/svg+xml" }));
  try {
    const image = await loadImage(source);
    const canvas = document.createElement("canvas");
    canvas.width = size.width * scale;
    canvas.height = size.height * scale;
    const context = canvas.getContext("2d");
    if (!context) throw new PngTooLargeError(size);
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    // A canvas past the browser's own limit (which may be lower than Chromium's) encodes to nothing.
    if (!blob) throw new PngTooLargeError(size);
    return blob;
  } finally {
    URL.revokeObjectURL(source);
  }
}

function loadImage(source: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("The browser could not read the diagram as an image."));
    image.src = source;
  });
}

/** Offers a file for download under `fileName`. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has been handed over once the click returns; free the memory a moment later.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Mermaid text as a fenced block, ready to paste into a Markdown file. */
export function markdownBlock(mermaidText: string): string {
  return `\`\`\`mermaid\n${mermaidText.endsWith("\n") ? mermaidText : `${mermaidText}\n`}\`\`\`\n`;
}

/** A file name part made of safe characters only. */
export function safeFileStem(stem: string): string {
  return stem.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "diagram";
}
