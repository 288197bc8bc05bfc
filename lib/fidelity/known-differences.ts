// Differences between the two engines that are understood: each either stays (the embedded engine
// models the platform on purpose in its own way, or the difference is in what can be recorded) or
// is left for the engine team (the embedded engine's rules should change). A row no entry explains
// is reported as unexplained. Pure.
import type { DifferenceRow } from "./compare";

export type Verdict = "stays" | "engine team";

export interface KnownDifference {
  id: string;
  title: string;
  verdict: Verdict;
  why: string;
  matches(row: DifferenceRow): boolean;
}

export interface AnnotatedRow extends DifferenceRow {
  /** The id of the known difference that explains the row, or null. */
  known: string | null;
}

/** Whether either side's text of the row matches. */
const either = (row: DifferenceRow, pattern: RegExp) => pattern.test(row.embedded) || pattern.test(row.real);
const pairIs = (row: DifferenceRow, ...pairs: string[]) => pairs.includes(row.pair);

/** In order: the first entry that matches a row explains it. */
export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: "no-envoy-protocol",
    title: "a rivetkit 2.3 app and client cannot use the embedded engine",
    verdict: "engine team",
    why:
      "The embedded engine speaks runner protocol v7 only: no envoy protocol v8 (`/envoys/connect`, a `POST /start` carrying its StartActor) and no query-addressed gateway requests (`/gateway/{name}?rvt-method=getOrCreate…`, which the real gateway answers by creating the actor). The rivetkit 2.3 client's first call gets 404 `actor.not_found` (\"no actor with id counter\"), so the embedded side records no cycle for it.",
    matches: (row) => row.client === "rivetkit-2.3",
  },
  {
    id: "sleep-stop-error",
    title: "runner 2.2.1 reports a sleep-stop as `Stopped {code: Error}`; the real engine then backs off later wakes",
    verdict: "engine team",
    why:
      "The published runner marks a stop as intended only when it sent a stop intent itself (`stopIntentSent`), so an actor that asked to sleep reports `Stopped {code: Error}`. The real engine counts that as a crash (`Failure reason: crashed`) and reschedules later wakes with a growing backoff (0.07, 2.2, 4.5, 8.5 s on rivet-engine 2.3.19; the wake-to-ready of \"three sleeps, each followed by a wake\" shows it). The embedded engine treats a stop after a sleep intent as a sleep.",
    matches: (row) =>
      either(row, /Failure reason: crashed|reschedul|backoff/i) ||
      (row.kind === "figures" && row.pair === "figures: wake-to-ready" && /\d/.test(row.embedded) && /\d/.test(row.real) && row.workload !== "runner-disconnect" && row.workload !== "pool-drain"),
  },
  {
    id: "runner-lost",
    title: "a runner that drops its socket: the gateways wait differently",
    verdict: "engine team",
    why:
      "The real gateway holds the request until the runner is declared lost (~15 s): its actor workflow notes `Failure reason: runner_connection_lost`, sends StopActor, then allocates the actor on the new runner and the request is answered. The embedded gateway retries the tunnel with a doubling delay (150 ms … 4.8 s) and, with a normal runner, answers 503 `guard.actor_stopped_while_waiting` after ~9.5 s, before its own lost threshold ends the actor (one cycle instead of two).",
    matches: (row) => row.workload === "runner-disconnect" && (pairIs(row, "client answers", "cycles", "U ↔ G", "note G", "G ↔ AWF", "G ↔ RWS", "RWS ↔ AWF", "RWF ↔ AWF", "R ↔ RWS", "note R") || row.kind === "figures" || either(row, /Failure reason|Actor lost|note over AWF: Allocate$/)),
  },
  {
    id: "serverless-lifespan-drain",
    title: "the end of a serverless runner's lifespan: the embedded engine loses the actor instead of stopping it",
    verdict: "engine team",
    why:
      "At the end of the request lifespan (minus `serverless_drain_grace_period`) the real engine drains the runner: StopActor, the runner stops the actor (`Stopped`), it sleeps, and the next request is allocated to a new runner. The embedded engine stops the runner workflow without stopping its actor first: the actor is lost (`RWF->>AWF: Actor lost`), and the next wake finds no cycle to pair.",
    matches: (row) => row.workload === "pool-drain" && row.client === "serverless-v7",
  },
  {
    id: "serverless-scale-down",
    title: "a serverless pool scaling down: the embedded engine stops the runner at once",
    verdict: "engine team",
    why:
      "When the pool's last actor sleeps, the embedded pool stops its runner at once (`S->>RWF: Stop`, `Remove from alloc idx`), so the next wake is a cold start (`No runners available`, `GET /start`, a new runner, `Allocate pending actors`). The real pool notes `Desired: 0` and `Drain a runner`, but a connection drains only at the end of its request lifespan: the next wake is allocated to the same runner, with no cold start (cold start: none on the real side).",
    matches: (row) =>
      row.client === "serverless-v7" &&
      (pairIs(row, "note S", "RWF ↔ S", "note RWF", "R ↔ SE", "S ↔ SE", "RWS ↔ RWF", "AWF ↔ S", "figures: cold start") ||
        either(row, /Allocate$|No runners available|Send StartActor|ToServerInit|RWF->>AWF: Allocate|RWS->>AWF: \(relay\)/)),
  },
  {
    id: "new-runner-pending",
    title: "a wake right after a runner was replaced waits for the new runner's workflow",
    verdict: "stays",
    why: "When a normal runner drained and a new one connected just before the wake, the embedded engine finds the new runner in its allocation index at once; the real engine's new runner is not allocatable until its runner workflow has started, so the actor waits as pending (`No runners available`) until that workflow allocates it (`RWF->>AWF: Allocate`). A matter of when the wake arrives.",
    matches: (row) => row.client === "runner-v7" && row.workload === "pool-drain" && either(row, /No runners available|RWF->>AWF: Allocate|Allocate pending actors/),
  },
  {
    id: "bump-normal-pool",
    title: "the embedded actor workflow bumps the autoscaler of a pool of normal runners",
    verdict: "engine team",
    why: "After a stop whose freed slot no queued actor takes, the embedded actor workflow bumps the pool's autoscaler (`AWF->>S: Bump`) whatever the pool; the real engine bumps serverless pools only.",
    matches: (row) => row.client === "runner-v7" && pairIs(row, "AWF ↔ S"),
  },
  {
    id: "create-label",
    title: "the create is labelled with the pool, not the actor's name",
    verdict: "engine team",
    why: "The live session hands the runner name selector to the engine as the actor's name (`lib/services/live-engine.ts`, `createActor`), so the embedded engine draws `Create actor <pool>` where the real one draws `Create actor <name>`.",
    matches: (row) => pairIs(row, "A ↔ AWF") && either(row, /Create actor/),
  },
  {
    id: "api-calls",
    title: "the proxy records the engine API calls themselves",
    verdict: "stays",
    why: "The proxy sees each HTTP call to the engine API (`U->>A: POST /actors` and its answer); the embedded engine records what the API does (`A->>AWF: Create actor`), not the call. Both draw the create.",
    matches: (row) => pairIs(row, "A ↔ U"),
  },
  {
    id: "gateway-notes",
    title: "the gateway's notes",
    verdict: "stays",
    why: "The embedded gateway notes what it sees of the actor on each request (`Actor running`, `Actor starting`, `Actor stopped while waiting, retry in …`). The real gateway (guard) keeps no workflow history, so a recording of it has only the notes Wakeline derives from the wake signals (`Actor sleeping`, `Await actor ready`).",
    matches: (row) => pairIs(row, "note G"),
  },
  {
    id: "ready-without-waiter",
    title: "Ready and Stopped published with no request waiting",
    verdict: "stays",
    why: "The real actor workflow publishes Ready (`Receive runner ID`) on every start, also at creation when no request waits; the embedded one sends Ready and Stopped only to a gateway that has a request waiting. Nobody receives the extra message.",
    matches: (row) => pairIs(row, "G ↔ AWF") && either(row, /Receive runner ID|Receive Stopped msg/),
  },
  {
    id: "allocation-note",
    title: "which runner the allocation picked",
    verdict: "stays",
    why: "The real actor workflow's allocation activity returns the runner it picked, drawn as `Allocated to runner …`; the embedded one places the actor without a note.",
    matches: (row) => either(row, /Allocated to runner/),
  },
  {
    id: "wake-speed",
    title: "the embedded engine wakes in milliseconds, the real one in tens of milliseconds",
    verdict: "stays",
    why: "The embedded workflows commit each step at once; the real engine persists every workflow step (the wake-to-ready figures above). So later requests of a burst find the embedded actor already starting or running (one Wake, the rest ignored or tunnelled at once), while on the real engine each of them arrives while it still sleeps and signals its own Wake; and a request right after sleep finds the embedded actor already asleep (a new cycle), the real one still stopping (a deferred wake, drawn in the cycle before).",
    matches: (row) =>
      (row.workload === "burst" || row.workload === "request-after-sleep") &&
      (pairIs(row, "G ↔ AWF", "U ↔ G", "figures: anomalies") || either(row, /Ignore wake|defer wake|note over AWF: Allocate$/)),
  },
  {
    id: "double-wake",
    title: "two wake signals for one held request on the real engine",
    verdict: "engine team",
    why: "Seen on some wakes: the real actor workflow's history holds two `pegboard_actor_wake` signals for one request the gateway holds (both drawn, each with its gateway notes); the embedded gateway sends one Wake. The second is a no-op for the workflow; whether the embedded engine should model it is for the engine team.",
    matches: (row) => row.kind === "only real" && pairIs(row, "G ↔ AWF") && row.real.endsWith("G->>AWF: Wake"),
  },
  {
    id: "creation-wake-to-ready",
    title: "the creation cycle's wake-to-ready",
    verdict: "engine team",
    why: "On the real side the first cycle (created, then slept) has a wake-to-ready, measured from the actor workflow's first state to Ready; the embedded engine's creation sends no Wake, and its first cycle has none.",
    matches: (row) => row.cycle === 1 && pairIs(row, "figures: wake-to-ready"),
  },
  {
    id: "interleaving",
    title: "concurrent hops in another order",
    verdict: "stays",
    why: "Hops that happen at the same time (a burst's answers, a new runner's connect and its first frames, a relay and the next request) interleave in another order on the two engines; each is there on both sides.",
    matches: (row) => row.kind === "order",
  },
];

export function annotate(rows: readonly DifferenceRow[], known: readonly KnownDifference[] = KNOWN_DIFFERENCES): AnnotatedRow[] {
  return rows.map((row) => ({ ...row, known: known.find((k) => k.matches(row))?.id ?? null }));
}
