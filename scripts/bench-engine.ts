// Benchmark: the engine alone (no recorder; events go to a counting sink). Every built-in scenario
// 40 times plus a 20,000-request scenario, repeated; prints the median and best CPU time of a
// repetition and the events per CPU second. To compare two versions of the engine, run it in each
// checkout, alternating (the figures are CPU time of this process, so a busy machine moves them
// less than wall time). Not a test: nothing here asserts.
//   npm run bench:engine [-- repetitions (default 7)]
import { builtInScenarios, parseScenario, runScenario } from "../lib/runtime";

const REPETITIONS = Number(process.argv[2] ?? 7);
const scenarios = builtInScenarios();
const requests = parseScenario({
  name: "requests-20000",
  config: { timing: { sleepTimeoutMs: 86_400_000 } },
  pools: [{ name: "default", requestLifespan: 86_400 }],
  actors: [{ id: "actor-1" }],
  durationMs: 41_000,
  steps: Array.from({ length: 20_000 }, (_, i) => ({ at: 10 + i * 2, request: { actor: "actor-1" } })),
});

function once(): number {
  let events = 0;
  const sink = () => void events++;
  for (let i = 0; i < 40; i++) for (const scenario of scenarios) runScenario(scenario, { seed: 1, sink });
  runScenario(requests, { seed: 1, sink });
  return events;
}

const events = once();
const times: number[] = [];
for (let r = 0; r < REPETITIONS; r++) {
  const start = process.cpuUsage();
  once();
  const used = process.cpuUsage(start);
  times.push((used.user + used.system) / 1000);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`engine: ${events} events per repetition, CPU median ${median.toFixed(0)} ms (best ${times[0].toFixed(0)} ms), ${Math.round(events / (median / 1000)).toLocaleString("en")} events/s`);
