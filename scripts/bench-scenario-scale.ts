// Benchmark: is a scenario run's cost linear in its steps? Runs generated scenarios of n and 4n
// steps through lib/runtime without the recorder (the events go to a counting sink) and prints
// the time ratio: 4 means linear, 16 quadratic. Run with
// `npm run bench:scale [-- n (default 100000) kind (note | request | burst, default note)]`.
// Not a test: nothing here asserts.
import { parseScenario, runScenario } from "../lib/runtime";

type Kind = "note" | "request" | "burst";

/** One step per ms: a narrative note, a request to an awake actor, or requests all at one instant. */
function generated(kind: Kind, steps: number): Record<string, unknown> {
  const base = {
    name: `scale-${kind}-${steps}`,
    config: { timing: { sleepTimeoutMs: 24 * 3_600_000 } },
    pools: [{ name: "default", requestLifespan: 86_400 }],
    actors: [{ id: "actor-1" }],
  };
  switch (kind) {
    case "note":
      return { ...base, durationMs: steps + 1_000, steps: Array.from({ length: steps }, (_, i) => ({ at: i, note: { over: "G", text: `step ${i}` } })) };
    case "request":
      return { ...base, durationMs: steps * 2 + 1_000, steps: Array.from({ length: steps }, (_, i) => ({ at: 10 + i * 2, request: { actor: "actor-1" } })) };
    case "burst":
      // Everyone at once on a sleeping actor: the wakes queue in its workflow's mailbox.
      return { ...base, durationMs: 60_000, steps: Array.from({ length: steps }, () => ({ at: 10, request: { actor: "actor-1" } })) };
  }
}

function timeRun(kind: Kind, steps: number): { parseMs: number; runMs: number; events: number } {
  const json = generated(kind, steps);
  let start = process.hrtime.bigint();
  const scenario = parseScenario(json);
  const parseMs = Number(process.hrtime.bigint() - start) / 1e6;
  let events = 0;
  start = process.hrtime.bigint();
  runScenario(scenario, { seed: 1, sink: () => (events += 1), maxEvents: Number.MAX_SAFE_INTEGER });
  const runMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { parseMs, runMs, events };
}

const n = Number(process.argv[2] ?? 100_000);
const kind = (process.argv[3] ?? "note") as Kind;
// A small run first, so that both measured runs find the code compiled.
timeRun(kind, Math.max(1_000, Math.floor(n / 50)));
const small = timeRun(kind, n);
const large = timeRun(kind, 4 * n);
const show = (label: string, steps: number, r: ReturnType<typeof timeRun>) =>
  console.log(`${label} ${String(steps).padStart(8)} ${kind} steps: parse ${r.parseMs.toFixed(0).padStart(6)} ms, run ${r.runMs.toFixed(0).padStart(7)} ms, ${r.events} events`);
show("n ", n, small);
show("4n", 4 * n, large);
console.log(`ratio 4n / n: parse ×${(large.parseMs / small.parseMs).toFixed(2)}, run ×${(large.runMs / small.runMs).toFixed(2)}, total ×${((large.parseMs + large.runMs) / (small.parseMs + small.runMs)).toFixed(2)} (4 = linear, 16 = quadratic)`);
