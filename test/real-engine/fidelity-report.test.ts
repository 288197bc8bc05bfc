// The fidelity report's own code on one small workload: a request to a sleeping actor, served by a
// v7 serverless endpoint, against the embedded engine and the real one (through the proxy, with the
// workflow histories). Both sides must have recorded the actor's two cycles (created and slept,
// then woken), the comparison must pair them, and the report must put both engines' figures side
// by side. A side that records nothing leaves its cycles missing, and this fails.
import { beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/fidelity/report";
import { runFidelity, type FidelityResult } from "@/lib/fidelity/run";

describe("npm run fidelity, one workload pair", () => {
  let result: FidelityResult;

  beforeAll(async () => {
    result = await runFidelity({ clients: ["serverless-v7"], workloads: ["wake"] });
  }, 150_000);

  it("drove the same workload on both engines and got an actor on each", () => {
    const [comparison] = result.comparisons;
    expect(result.comparisons).toHaveLength(1);
    expect(comparison).toMatchObject({ workload: "wake", client: "serverless-v7" });
    for (const side of ["embedded", "real"] as const) {
      const outcome = comparison.outcomes[side];
      expect(outcome.error, side).toBeNull();
      expect(outcome.actorId, side).toEqual(expect.any(String));
      // The first request, the sleep request, the request that wakes it.
      expect(outcome.answers.map((a) => a.status), side).toEqual([200, 200, 200]);
      expect(result.sides[side].events, side).toBeGreaterThan(0);
    }
    expect(result.sides.real.engineVersion).toMatch(/^2\.3\./);
    expect(result.sides.real.importError).toBeNull();
  });

  it("paired the actor's cycles across the recordings and compared them item by item", () => {
    const [comparison] = result.comparisons;
    expect(comparison.pairs.map((p) => p.ordinal)).toEqual([1, 2]);
    for (const pair of comparison.pairs) {
      expect(pair.embedded, `embedded cycle ${pair.ordinal}`).not.toBeNull();
      expect(pair.real, `real cycle ${pair.ordinal}`).not.toBeNull();
      expect(pair.embeddedItems).toBeGreaterThan(0);
      expect(pair.realItems).toBeGreaterThan(0);
      expect(pair.matched).toBeGreaterThan(0);
    }
    const [created, woken] = comparison.pairs;
    expect(created.embedded?.outcome).toBe("slept");
    expect(created.real?.outcome).toBe("slept");
    expect(woken.embedded?.wakeToReadyMs).toBeGreaterThan(0);
    expect(woken.real?.wakeToReadyMs).toBeGreaterThan(0);
  });

  it("produced difference rows by lifeline pair, each known or marked unexplained", () => {
    expect(result.rows.length).toBeGreaterThan(0);
    for (const row of result.rows) {
      expect(row).toMatchObject({ workload: "wake", client: "serverless-v7" });
      expect(row.pair).not.toBe("");
      expect(row.embedded === "—" && row.real === "—").toBe(false);
    }
    // The two engines draw the gateway's wake differently somewhere in these cycles.
    expect(result.rows.some((r) => r.cycle !== null)).toBe(true);
  });

  it("writes the report with the figures of both engines side by side", () => {
    const text = renderMarkdown(result, { runner: "2.2.1", rivetkit: "2.3.19" });
    expect(text).toContain(`rivet-engine ${result.sides.real.engineVersion}`);
    const woken = result.comparisons[0].pairs[1];
    const figures = text.split("\n").find((line) => line.startsWith("| request to a sleeping actor | serverless-v7 | 2 |"));
    expect(figures).toBeDefined();
    const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`);
    expect(figures).toContain(`${ms(woken.embedded!.wakeToReadyMs!)} / ${ms(woken.real!.wakeToReadyMs!)}`);
    expect(text).toContain("## Known differences");
  });
});
