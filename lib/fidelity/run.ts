// A fidelity run: the plan's workloads once against the embedded engine and once against the real
// one (through the recording proxy, with its workflow histories), then every pair of cycles
// compared. The engines run one after the other, so neither's timings carry the other's load.
import { compareWorkload, type WorkloadComparison } from "./compare";
import { driveSide, type FidelityPlan } from "./drive";
import { annotate, type AnnotatedRow } from "./known-differences";
import { startEmbeddedSide, startRealSide, type EngineSide } from "./sides";
import type { RecordedSide, SideName, WorkloadOutcome } from "./types";

export interface SideSummary {
  engineVersion: string;
  runId: string;
  events: number;
  cycles: number;
  importError: string | null;
  durationMs: number;
}

export interface FidelityResult {
  startedAt: string;
  durationMs: number;
  plan: FidelityPlan;
  sides: Record<SideName, SideSummary>;
  comparisons: WorkloadComparison[];
  rows: AnnotatedRow[];
}

export async function runFidelity(plan: FidelityPlan, log: (line: string) => void = () => {}): Promise<FidelityResult> {
  const startedAt = new Date();
  const recorded: Partial<Record<SideName, { side: EngineSide; recording: RecordedSide; outcomes: WorkloadOutcome[]; durationMs: number }>> = {};
  try {
    for (const [name, start] of [["embedded", startEmbeddedSide], ["real", startRealSide]] as const) {
      const began = Date.now();
      log(`starting the ${name} engine`);
      const side = await start();
      recorded[name] = { side, recording: null as unknown as RecordedSide, outcomes: [], durationMs: 0 };
      recorded[name].outcomes = await driveSide(side, plan, log);
      log(`ending the ${name} recording${name === "real" ? " and reading the workflow histories" : ""}`);
      recorded[name].recording = await side.finish();
      recorded[name].durationMs = Date.now() - began;
    }
    const embedded = recorded.embedded!;
    const real = recorded.real!;
    const sides = { embedded: embedded.recording, real: real.recording };
    const comparisons: WorkloadComparison[] = [];
    for (const outcome of embedded.outcomes) {
      const theirs = real.outcomes.find((o) => o.workload === outcome.workload && o.client === outcome.client);
      if (theirs) comparisons.push(await compareWorkload(sides, { embedded: outcome, real: theirs }));
    }
    const summary = (entry: typeof embedded): SideSummary => ({
      engineVersion: entry.recording.engineVersion,
      runId: entry.recording.run.id,
      events: entry.recording.events.length,
      cycles: entry.recording.cycles.length,
      importError: entry.recording.importError,
      durationMs: entry.durationMs,
    });
    return {
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      plan,
      sides: { embedded: summary(embedded), real: summary(real) },
      comparisons,
      rows: annotate(comparisons.flatMap((c) => c.rows)),
    };
  } finally {
    for (const entry of Object.values(recorded)) await entry?.side.close().catch(() => undefined);
  }
}
