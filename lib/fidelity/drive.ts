// Drives one engine through a plan of workloads, client by client, one workload at a time (the
// figures are timings: nothing else of the run competes with a workload). Every client stays up
// until the whole side is done, so no workload's actor loses its runner to the next one's cleanup.
import type { EngineSide } from "./sides";
import { DRAIN_LIFESPAN_S, normalRunnerClient, serverlessClient, type ClientDriver } from "./runner-clients";
import { startRivetkitApp, type RivetkitApp } from "./rivetkit-client";
import { runWorkload } from "./workloads";
import type { ClientKind, WorkloadName, WorkloadOutcome } from "./types";

export interface FidelityPlan {
  clients: readonly ClientKind[];
  workloads: readonly WorkloadName[];
}

/** Workloads a client does not run (rivetkit's envoy is the app's own; see rivetkit-client.ts). */
export function supported(client: ClientKind, workload: WorkloadName): boolean {
  return client !== "rivetkit-2.3" || !["runner-disconnect", "pool-drain"].includes(workload);
}

const POOL_SUFFIX: Record<Exclude<ClientKind, "rivetkit-2.3">, string> = { "runner-v7": "r7", "serverless-v7": "sl" };

export async function driveSide(side: EngineSide, plan: FidelityPlan, log: (line: string) => void = () => {}): Promise<WorkloadOutcome[]> {
  const outcomes: WorkloadOutcome[] = [];
  const open: { close(): Promise<void> }[] = [];
  let rivetkit: RivetkitApp | null = null;
  try {
    for (const client of plan.clients) {
      /**
       * After the rivetkit app failed to get even one actor going, its other workloads (same app,
       * same pool) are not tried. Runner clients get a pool and a runner per workload.
       */
      let brokenClient: string | null = null;
      for (const workload of plan.workloads.filter((w) => supported(client, w))) {
        const started = Date.now();
        const outcome: WorkloadOutcome = { workload, client, side: side.name, actorId: null, answers: [], error: null, durationMs: 0 };
        outcomes.push(outcome);
        if (brokenClient !== null) {
          outcome.error = `not run (${brokenClient})`;
          continue;
        }
        try {
          let driver: ClientDriver;
          if (client === "rivetkit-2.3") {
            if (!rivetkit) open.push((rivetkit = await startRivetkitApp(side.calls)));
            driver = rivetkit.driver();
          } else {
            const pool = `f-${workload}-${POOL_SUFFIX[client]}`;
            driver = client === "runner-v7" ? await normalRunnerClient(side.calls, pool) : await serverlessClient(side.calls, pool, workload === "pool-drain" ? DRAIN_LIFESPAN_S : 300);
            open.push(driver);
          }
          outcome.answers = await runWorkload(workload, driver, side.calls, `fid-${workload}-${client}`, (actorId) => (outcome.actorId = actorId));
        } catch (err) {
          outcome.error = err instanceof Error ? err.message : String(err);
          if (outcome.actorId === null && client === "rivetkit-2.3") brokenClient = `${client} got no actor going: ${outcome.error}`;
        }
        outcome.durationMs = Date.now() - started;
        log(`${side.name.padEnd(8)} ${client.padEnd(13)} ${workload.padEnd(20)} ${(outcome.durationMs / 1000).toFixed(1).padStart(5)} s  ${outcome.error ?? outcome.answers.map((a) => a.code ?? a.status).join(" ")}`);
      }
    }
  } finally {
    for (const client of open.reverse()) await client.close().catch(() => undefined);
  }
  return outcomes;
}
