"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ComparisonResult } from "@/components/compare/ComparisonResult";
import { compareRecordings, compareWithReference, type Comparison } from "@/components/compare/compare-model";
import { compareHref, describeCycleRef, type CompareTarget, type CycleRef } from "@/components/compare/compare-target";
import { keepCompareSettings } from "@/components/compare/compare-view-settings";
import { CyclePicker } from "@/components/compare/CyclePicker";
import { ReferenceInput } from "@/components/compare/ReferenceInput";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryStates";
import { ShareControl } from "@/components/toolbar/ShareControl";
import type { SideFlow } from "@/components/compare/compare-model";
import { queries } from "../_queries/resources";

/** The diagram of one side, always at the reference detail level (what the references draw). */
function sideDiagram(ref: CycleRef) {
  return queries.diagram({ runId: ref.runId, actorId: ref.actorId, cycle: ref.ordinal, detail: "default" });
}

function useSideName(ref: CycleRef): string {
  const run = useQuery(queries.run(ref.runId));
  return describeCycleRef(ref, run.data?.name);
}

/** Runs a comparison, turning a failure (bad reference, too large) into an error to show. */
function attempt<T>(compute: () => T): { result: T } | { error: unknown } {
  try {
    return { result: compute() };
  } catch (error) {
    return { error };
  }
}

export function CompareView({ target }: { target: CompareTarget }) {
  const router = useRouter();
  // Other cycles are shown the way the current ones are (layout, zoom, scrolling together).
  const go = (next: CompareTarget) => router.push(keepCompareSettings(compareHref(next), window.location.search), { scroll: false });

  return (
    <>
      <header className="page-header">
        <p className="breadcrumb">
          <Link href="/">Runs</Link> / compare
        </p>
        <h1>Compare</h1>
        <p className="muted">
          Two recorded cycles side by side, or a recording against a reference diagram. The left side is the
          baseline: an item on the right matches when it says at least what the left one says, between the same
          lifelines. Instance ids (runners, actors, requests) are ignored when two recordings are compared.
        </p>
      </header>

      <div className="compare-setup">
        <CyclePicker legend="A (baseline)" value={target.a} onChange={(a) => go({ ...target, a })} />
        <fieldset className="compare-mode">
          <legend>Compare A with</legend>
          <label className="choice">
            <input type="radio" name="compare-mode" checked={!target.withReference} onChange={() => go({ ...target, withReference: false })} />
            another recording (B)
          </label>
          <label className="choice">
            <input type="radio" name="compare-mode" checked={target.withReference} onChange={() => go({ ...target, withReference: true })} />
            a reference diagram
          </label>
        </fieldset>
        {!target.withReference && <CyclePicker legend="B" value={target.b} onChange={(b) => go({ ...target, b })} />}
      </div>

      {target.a === null ? (
        <EmptyState title="Choose what to compare.">
          <p>Pick a run and one of its cycles as A, then a second cycle or a reference diagram.</p>
        </EmptyState>
      ) : target.withReference ? (
        <ReferenceComparison key={`${target.a.runId}:${target.a.actorId}:${target.a.ordinal}`} a={target.a} />
      ) : target.b === null ? (
        <EmptyState title="Choose B.">
          <p>Pick the cycle to compare with {describeCycleRef(target.a)}, or compare it with a reference diagram.</p>
        </EmptyState>
      ) : (
        <RecordingsComparison a={target.a} b={target.b} />
      )}
    </>
  );
}

function RecordingsComparison({ a, b }: { a: CycleRef; b: CycleRef }) {
  const diagramA = useQuery(sideDiagram(a));
  const diagramB = useQuery(sideDiagram(b));
  const nameA = useSideName(a);
  const nameB = useSideName(b);
  const outcome = useMemo(
    () => (diagramA.data && diagramB.data ? attempt(() => compareRecordings(diagramA.data, diagramB.data)) : null),
    [diagramA.data, diagramB.data],
  );

  if (diagramA.isError) return <ErrorState title="A could not be loaded." error={diagramA.error} />;
  if (diagramB.isError) return <ErrorState title="B could not be loaded." error={diagramB.error} />;
  if (!outcome || !diagramA.data || !diagramB.data) return <LoadingState>Loading both diagrams…</LoadingState>;
  if ("error" in outcome) return <ErrorState title="The two flows could not be compared." error={outcome.error} />;
  return (
    <>
      <div className="toolbar">
        <ShareControl />
      </div>
      <ComparisonResult
        kind="recordings"
        report={outcome.result.report}
        baseline={{ name: "A", description: nameA, text: diagramA.data.text, items: diagramA.data.items, marks: outcome.result.baseline }}
        compared={{ name: "B", description: nameB, text: diagramB.data.text, items: diagramB.data.items, marks: outcome.result.compared }}
      />
    </>
  );
}

function ReferenceComparison({ a }: { a: CycleRef }) {
  const diagram = useQuery(sideDiagram(a));
  const name = useSideName(a);
  const [reference, setReference] = useState<{ text: string; source: string } | null>(null);
  const outcome = useMemo(() => {
    if (!reference || !diagram.data) return null;
    const recording: SideFlow = diagram.data;
    return attempt<Comparison & { reference: SideFlow }>(() => compareWithReference(reference.text, recording));
  }, [reference, diagram.data]);

  return (
    <>
      <ReferenceInput onCheck={(text, source) => setReference({ text, source })} />
      {diagram.isPending && <LoadingState>Loading the recording…</LoadingState>}
      {diagram.isError && <ErrorState title="The recording could not be loaded." error={diagram.error} />}
      {diagram.data && !reference && (
        <EmptyState title="Add a reference diagram.">
          <p>Upload a .mmd file or paste Mermaid sequence diagram text to check {name} against it.</p>
        </EmptyState>
      )}
      {outcome && "error" in outcome && <ErrorState title="The reference diagram could not be read." error={outcome.error} />}
      {outcome && "result" in outcome && diagram.data && reference && (
        <ComparisonResult
          kind="reference"
          report={outcome.result.report}
          baseline={{
            name: "Reference",
            description: reference.source,
            text: reference.text,
            items: outcome.result.reference.items,
            marks: outcome.result.baseline,
          }}
          compared={{ name: "Recording", description: name, text: diagram.data.text, items: diagram.data.items, marks: outcome.result.compared }}
        />
      )}
    </>
  );
}
