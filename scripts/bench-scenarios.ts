// The benchmarks' busy scenario: many requests to one actor that stays awake, two milliseconds
// apart (about ten events a request), as a scenario file would give it.
export function busyScenarioInput(name: string, requests: number) {
  return {
    name,
    durationMs: requests * 2 + 1_000,
    config: { timing: { sleepTimeoutMs: 3_600_000 } },
    pools: [{ name: "default", requestLifespan: 3_600 }],
    actors: [{ id: "actor-1" }],
    steps: Array.from({ length: requests }, (_, i) => ({ at: 10 + i * 2, request: { actor: "actor-1", path: "/" } })),
  };
}
