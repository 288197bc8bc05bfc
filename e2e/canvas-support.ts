// Reading the diagram canvas in browser tests: where the frame is scrolled, what is in view, how big
// the drawing is shown.
import { expect, type Locator, type Page } from "@playwright/test";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element has no box (not rendered)");
  return box;
}

/** Whether the middle of `element` is inside the visible part of `frame` and inside the window. */
export async function isInView(page: Page, element: Locator, frame: Locator): Promise<boolean> {
  const inner = await element.boundingBox();
  const outer = await frame.evaluate((node) => {
    const rect = node.getBoundingClientRect();
    return { x: rect.left, y: rect.top, width: (node as HTMLElement).clientWidth, height: (node as HTMLElement).clientHeight };
  });
  const windowSize = page.viewportSize();
  if (!inner || !windowSize) return false;
  const x = inner.x + Math.min(inner.width, outer.width) / 2;
  const y = inner.y + inner.height / 2;
  const inFrame = x >= outer.x && x <= outer.x + outer.width && y >= outer.y && y <= outer.y + outer.height;
  const inWindow = y >= 0 && y <= windowSize.height && x >= 0 && x <= windowSize.width;
  return inFrame && inWindow;
}

export async function scrollOf(frame: Locator): Promise<{ left: number; top: number }> {
  return frame.evaluate((node) => ({ left: node.scrollLeft, top: node.scrollTop }));
}

export async function scrollTo(frame: Locator, left: number, top: number): Promise<void> {
  await frame.evaluate(
    (node, position) => {
      node.scrollLeft = position.left;
      node.scrollTop = position.top;
    },
    { left, top },
  );
}

/** The drawing's own width (its viewBox) and the width it is shown at. */
export async function drawnScale(svg: Locator): Promise<{ natural: number; shown: number; scale: number }> {
  return svg.evaluate((node) => {
    const element = node as SVGSVGElement;
    const natural = element.viewBox.baseVal.width;
    const shown = element.getBoundingClientRect().width;
    return { natural, shown, scale: shown / natural };
  });
}

/** Console errors and uncaught page errors, collected from now on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}

export async function expectZoom(page: Page, text: string, frame?: Locator): Promise<void> {
  await expect((frame ?? page).getByTestId("zoom-level").first()).toHaveText(text);
}
