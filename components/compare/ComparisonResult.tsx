"use client";

// A comparison's outcome: a one-line verdict, both diagrams at a readable size (side by side, each
// scrolling sideways, or stacked) that zoom and scroll together, with their differences marked, and
// the list of differences — each of which brings its place on both diagrams into view.
import { useMemo, useRef, useState } from "react";
import type { ConformanceReport, Diff } from "@/lib/conformance";
import type { FlowItem } from "@/lib/diagram";
import { ScrollSyncGroup } from "../cycle/scroll-sync";
import type { ZoomSetting } from "../cycle/zoom";
import { useCompareSettings } from "./use-compare-settings";
import { pluralize } from "../format";
import { countMarks, drawnElementKey, type DrawingMarks } from "./compare-model";
import { DiffList } from "./DiffList";
import { MarkedDiagram } from "./MarkedDiagram";

export interface ComparedSide {
  /** Short name used in the text: "A", "B", "Reference", "Recording". */
  name: string;
  /** What it is, e.g. "cycle 2 of actor-1 (messy)". */
  description: string;
  text: string;
  items: readonly FlowItem[];
  marks: DrawingMarks;
}

export interface ComparisonResultProps {
  kind: "recordings" | "reference";
  report: ConformanceReport;
  baseline: ComparedSide;
  compared: ComparedSide;
}

function verdict({ kind, report, baseline, compared }: ComparisonResultProps): string {
  const differences = report.missing.length + report.extra.length + report.outOfOrder.length;
  if (kind === "reference") {
    if (report.ok) return `Conforms: all ${report.expectedCount} items of the reference were found, in order.`;
    return (
      `Does not conform: ${report.missing.length} missing, ${report.extra.length} extra, ` +
      `${report.outOfOrder.length} out of order (${report.matched} of ${report.expectedCount} reference items matched).`
    );
  }
  if (report.ok) return `No differences: ${compared.name} draws the same flow as ${baseline.name}.`;
  return (
    `${pluralize(differences, "difference")}: ${report.missing.length} only in ${baseline.name}, ` +
    `${report.extra.length} only in ${compared.name}, ${report.outOfOrder.length} in a different order.`
  );
}

interface PaneView {
  zoom: ZoomSetting;
  onZoomChange: (zoom: ZoomSetting) => void;
  scrollSync?: ScrollSyncGroup;
  reveal: { item: string; key: number } | null;
  keyboardShortcuts?: boolean;
}

function Pane({ side, testId, view }: { side: ComparedSide; testId: string; view: PaneView }) {
  const marked = countMarks(side.marks);
  return (
    <section className="compare-pane" aria-label={`${side.name}: ${side.description}`} data-testid={testId}>
      <h2>
        {side.name} <span className="muted compare-pane-what">{side.description}</span>
      </h2>
      <p className="muted">
        {marked === 0 ? "Nothing marked on this side." : marked === 1 ? "1 arrow or note marked." : `${marked} arrows and notes marked.`}
      </p>
      <MarkedDiagram text={side.text} label={`Sequence diagram of ${side.name}: ${side.description}`} marks={side.marks} {...view} />
    </section>
  );
}

export function ComparisonResult(props: ComparisonResultProps) {
  const { report, baseline, compared } = props;
  // Layout, zoom and scrolling together live in the URL (reload and share links keep them).
  const [{ layout, zoom, together }, updateSettings] = useCompareSettings();
  const sync = useMemo(() => new ScrollSyncGroup(), []);
  const [located, setLocated] = useState<{ baseline: string | null; compared: string | null; key: number } | null>(null);
  const locateCount = useRef(0);

  function locate(diff: Diff) {
    const onBaseline = diff.expectedIndex === undefined ? null : drawnElementKey(baseline.items, diff.expectedIndex);
    const onCompared = diff.actualIndex === undefined ? null : drawnElementKey(compared.items, diff.actualIndex);
    // Each side goes to its own place; with one place only, the other side follows it.
    if (onBaseline !== null && onCompared !== null) sync.muteFor();
    locateCount.current += 1;
    setLocated({ baseline: onBaseline, compared: onCompared, key: locateCount.current });
  }

  const shared = { zoom, onZoomChange: (next: ZoomSetting) => updateSettings({ zoom: next }), scrollSync: together ? sync : undefined };
  return (
    <div className="comparison">
      <p
        className={report.ok ? "compare-verdict verdict-ok" : "compare-verdict verdict-diff"}
        role="status"
        data-testid="compare-verdict"
        data-ok={report.ok}
      >
        {verdict(props)}
      </p>
      <ul className="diff-legend" aria-label="Marks on the diagrams">
        <li>
          <span className="diff-swatch diff-swatch-missing" aria-hidden="true" /> only in {baseline.name}
        </li>
        <li>
          <span className="diff-swatch diff-swatch-extra" aria-hidden="true" /> only in {compared.name}
        </li>
        <li>
          <span className="diff-swatch diff-swatch-moved" aria-hidden="true" /> in a different order
        </li>
      </ul>
      <div className="compare-controls" role="group" aria-label="How the diagrams are shown">
        <span className="toolbar-label">Layout</span>
        <div className="segmented">
          <button type="button" className={layout === "side" ? "segment segment-current" : "segment"} aria-pressed={layout === "side"} onClick={() => updateSettings({ layout: "side" })}>
            Side by side
          </button>
          <button type="button" className={layout === "stacked" ? "segment segment-current" : "segment"} aria-pressed={layout === "stacked"} onClick={() => updateSettings({ layout: "stacked" })}>
            Stacked
          </button>
        </div>
        <label className="check">
          <input type="checkbox" checked={together} onChange={(event) => updateSettings({ together: event.target.checked })} /> Scroll both together
        </label>
        <span className="muted">Zoom applies to both.</span>
      </div>
      <div className={`compare-grid compare-${layout}`} data-testid="compare-grid" data-layout={layout}>
        <Pane
          side={baseline}
          testId="compare-baseline"
          view={{ ...shared, keyboardShortcuts: true, reveal: located?.baseline ? { item: located.baseline, key: located.key } : null }}
        />
        <Pane side={compared} testId="compare-compared" view={{ ...shared, reveal: located?.compared ? { item: located.compared, key: located.key } : null }} />
      </div>
      {!report.ok && (
        <DiffList
          report={report}
          baselineItems={baseline.items}
          comparedItems={compared.items}
          baselineName={baseline.name}
          comparedName={compared.name}
          onLocate={locate}
        />
      )}
    </div>
  );
}
