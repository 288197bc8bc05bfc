// Seeding and a page object for the cycle view's browser tests.
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";

export interface RunResult {
  run: RunInfo;
  cycles: CycleInfo[];
}

/** A scenario object (posted inline): one actor woken by a request, then `requests` more while it runs. */
export function busyActorScenario(options: {
  name: string;
  requests: number;
  /** Engine ms between two requests. */
  everyMs: number;
  path?: (index: number) => string;
  /** Engine ms after the last request until the run ends. */
  tailMs?: number;
}): Record<string, unknown> {
  const { name, requests, everyMs, path = (index) => `/item/${index}`, tailMs = 1_000 } = options;
  return {
    name,
    description: `${requests} requests to one running actor`,
    durationMs: 100 + requests * everyMs + tailMs,
    pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 3_600, drainGracePeriod: 5 }],
    actors: [{ id: "actor-1" }],
    steps: [
      { at: 10, request: { actor: "actor-1" } },
      ...Array.from({ length: requests }, (_, index) => ({ at: 100 + index * everyMs, request: { actor: "actor-1", path: path(index) } })),
    ],
  };
}

export class CycleApi {
  constructor(private readonly request: APIRequestContext) {}

  async runInstant(scenario: string | Record<string, unknown>, seed = 1): Promise<RunResult> {
    const response = await this.request.post("/api/runs", { data: { scenario, seed }, timeout: 60_000 });
    expect(response.status(), await response.text()).toBe(201);
    return response.json();
  }

  /** Starts a paced run; answers at once with the running run. */
  async runPaced(scenario: string | Record<string, unknown>, speed: "realtime" | number, seed = 1): Promise<RunResult> {
    const response = await this.request.post("/api/runs", { data: { scenario, seed, speed } });
    expect(response.status(), await response.text()).toBe(202);
    return response.json();
  }

  async run(runId: string): Promise<RunInfo> {
    return this.getJson(`/api/runs/${encodeURIComponent(runId)}`);
  }

  async cycles(runId: string): Promise<CycleInfo[]> {
    return this.getJson(`/api/runs/${encodeURIComponent(runId)}/cycles`);
  }

  async cycleEvents(runId: string, actorId: string, ordinal: number): Promise<TraceEvent[]> {
    const body = await this.getJson<{ events: TraceEvent[] }>(
      `/api/runs/${encodeURIComponent(runId)}/events?actor=${encodeURIComponent(actorId)}&cycle=${ordinal}`,
    );
    return body.events;
  }

  async diagramItems(runId: string, actorId: string, ordinal: number, detail: "default" | "full" = "default") {
    const body = await this.getJson<{ items: { kind: string; seq?: number }[] }>(
      `/api/runs/${encodeURIComponent(runId)}/diagram?actor=${encodeURIComponent(actorId)}&cycle=${ordinal}&detail=${detail}`,
    );
    return body.items;
  }

  private async getJson<T>(url: string): Promise<T> {
    const response = await this.request.get(url);
    expect(response.status(), `${url}: ${await response.text()}`).toBe(200);
    return response.json() as Promise<T>;
  }
}

export class CyclePage {
  readonly diagram: Locator;
  readonly svg: Locator;
  readonly replay: Locator;
  readonly replayStatus: Locator;
  readonly detail: Locator;

  constructor(readonly page: Page) {
    this.diagram = page.getByTestId("diagram");
    this.svg = this.diagram.locator("svg").first();
    this.replay = page.getByRole("group", { name: "Replay" });
    this.replayStatus = page.getByTestId("replay-status");
    this.detail = page.getByTestId("event-detail");
  }

  async goto(runId: string, actorId: string, ordinal: number, query = ""): Promise<void> {
    await this.page.goto(`/runs/${encodeURIComponent(runId)}/cycles/${ordinal}?actor=${encodeURIComponent(actorId)}${query}`);
  }

  /** Drawn and interactive: a page's first drawing is on screen (data-rendered) before it hydrates. */
  async waitForRendered(): Promise<void> {
    await expect(this.diagram).toHaveAttribute("data-interactive", "true", { timeout: 30_000 });
    await expect(this.svg).toBeVisible();
  }

  /** Drawn message arrows (solid and dotted). */
  messages(): Locator {
    return this.svg.locator('[data-et="message"]');
  }

  /** Drawn messages and notes the view made clickable (one per step on screen). */
  items(): Locator {
    return this.svg.locator("[data-seq]");
  }

  item(seq: number): Locator {
    return this.svg.locator(`[data-seq="${seq}"]`);
  }

  /** A clickable message or note of the drawing, by its accessible name ("#12 Wake: Gateway → …"). */
  drawnItem(name: string | RegExp): Locator {
    return this.svg.getByRole("button", { name });
  }

  button(name: string | RegExp): Locator {
    return this.replay.getByRole("button", { name });
  }

  async urlParam(name: string): Promise<string | null> {
    return new URL(this.page.url()).searchParams.get(name);
  }
}
