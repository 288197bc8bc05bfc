"use client";

// Holds back the hydration of its children until the page's early drawing (EarlyDrawing) is on
// screen. Hydrating a cycle page's view takes the main thread for about as long as Mermaid takes
// to load, and both ran at once: the drawing, which is what the page is opened for, came up to a
// third later than Mermaid alone draws it. The server's HTML is shown meanwhile, so nothing moves;
// a click on it meanwhile is replayed by React once the view has hydrated. Only the first load of
// a page waits: later renders (a client navigation) find the drawing settled and go straight on.
import { Suspense, use, type ReactNode } from "react";
import { earlyDrawingSettled } from "./mermaid-module";

function WhenDrawn({ children }: { children: ReactNode }) {
  const waiting = earlyDrawingSettled();
  if (waiting) use(waiting);
  return children;
}

export function AfterEarlyDrawing({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={null}>
      <WhenDrawn>{children}</WhenDrawn>
    </Suspense>
  );
}
