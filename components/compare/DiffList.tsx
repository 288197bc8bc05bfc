// The differences of a comparison as a list, grouped by kind, each with where it is.
import { describeItem, type ConformanceReport, type Diff } from "@/lib/conformance";
import type { FlowItem } from "@/lib/diagram";
import { itemPlace } from "./compare-model";

export interface DiffListProps {
  report: ConformanceReport;
  /** The items as drawn (ids and all), to describe each difference as the user sees it. */
  baselineItems: readonly FlowItem[];
  comparedItems: readonly FlowItem[];
  baselineName: string;
  comparedName: string;
  /** Brings a difference into view on both diagrams. */
  onLocate?: (diff: Diff) => void;
}

interface Group {
  key: "missing" | "extra" | "moved";
  title: string;
  diffs: Diff[];
}

export function DiffList({ report, baselineItems, comparedItems, baselineName, comparedName, onLocate }: DiffListProps) {
  const groups: Group[] = [
    { key: "missing", title: `Only in ${baselineName} (missing from ${comparedName})`, diffs: report.missing },
    { key: "extra", title: `Only in ${comparedName} (not in ${baselineName})`, diffs: report.extra },
    { key: "moved", title: "In both, but in a different order", diffs: report.outOfOrder },
  ];
  return (
    <div className="diff-list" data-testid="diff-list">
      {groups
        .filter((group) => group.diffs.length > 0)
        .map((group) => (
          <section key={group.key} aria-label={group.title} data-testid={`diff-group-${group.key}`}>
            <h3>
              <span className={`diff-swatch diff-swatch-${group.key}`} aria-hidden="true" /> {group.title}:{" "}
              {group.diffs.length}
            </h3>
            <ol>
              {group.diffs.map((diff, index) => {
                const baseline = diff.expectedIndex === undefined ? undefined : baselineItems[diff.expectedIndex];
                const compared = diff.actualIndex === undefined ? undefined : comparedItems[diff.actualIndex];
                const shown = group.key === "extra" ? compared : (baseline ?? compared);
                const places = [
                  baseline ? `${baselineName}: ${itemPlace(baseline)}` : null,
                  compared ? `${comparedName}: ${itemPlace(compared)}` : null,
                ].filter((place): place is string => place !== null && !place.endsWith(": "));
                return (
                  <li key={`${group.key}-${index}`} data-testid="diff-item">
                    {onLocate ? (
                      <button type="button" className="link-button diff-locate" onClick={() => onLocate(diff)} title="Show it on the diagrams">
                        <code>{shown ? describeItem(shown) : diff.text}</code>
                      </button>
                    ) : (
                      <code>{shown ? describeItem(shown) : diff.text}</code>
                    )}
                    {places.length > 0 && <span className="muted"> — {places.join(", ")}</span>}
                  </li>
                );
              })}
            </ol>
          </section>
        ))}
    </div>
  );
}
