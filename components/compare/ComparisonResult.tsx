// A comparison's outcome: a one-line verdict, both diagrams side by side with their differences
// marked, and the list of differences.
import type { ConformanceReport } from "@/lib/conformance";
import type { FlowItem } from "@/lib/diagram";
import { pluralize } from "../format";
import { countMarks, type DrawingMarks } from "./compare-model";
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

function Pane({ side, testId }: { side: ComparedSide; testId: string }) {
  const marked = countMarks(side.marks);
  return (
    <section className="compare-pane" aria-label={`${side.name}: ${side.description}`} data-testid={testId}>
      <h2>
        {side.name} <span className="muted compare-pane-what">{side.description}</span>
      </h2>
      <p className="muted">
        {marked === 0 ? "Nothing marked on this side." : marked === 1 ? "1 arrow or note marked." : `${marked} arrows and notes marked.`}
      </p>
      <MarkedDiagram text={side.text} label={`Sequence diagram of ${side.name}: ${side.description}`} marks={side.marks} />
    </section>
  );
}

export function ComparisonResult(props: ComparisonResultProps) {
  const { report, baseline, compared } = props;
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
      <div className="compare-grid">
        <Pane side={baseline} testId="compare-baseline" />
        <Pane side={compared} testId="compare-compared" />
      </div>
      {!report.ok && (
        <DiffList
          report={report}
          baselineItems={baseline.items}
          comparedItems={compared.items}
          baselineName={baseline.name}
          comparedName={compared.name}
        />
      )}
    </div>
  );
}
