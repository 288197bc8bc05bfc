// A thin client for the app's HTTP API, used by tests to seed data and to read what a view should show.
import { expect, type APIRequestContext } from "@playwright/test";
import type { FlowItem } from "@/lib/diagram";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";

export interface DiagramResponse {
  text: string;
  items: FlowItem[];
}

export interface DiagramQuery {
  actor: string;
  /** One cycle; without it, the whole run as the actor saw it (what the run page draws). */
  cycle?: number;
  detail?: "default" | "full";
}

/** What the drawn SVG must contain for a diagram: solid arrows, dotted relations, notes. */
export interface ShapeCounts {
  arrows: number;
  relations: number;
  notes: number;
}

export function countShapes(items: FlowItem[]): ShapeCounts {
  return {
    arrows: items.filter((item) => item.kind === "arrow").length,
    relations: items.filter((item) => item.kind === "relation").length,
    notes: items.filter((item) => item.kind === "note").length,
  };
}

export class WakelineApi {
  constructor(private readonly request: APIRequestContext) {}

  /** Runs a built-in scenario to the end, as the home page's form does. */
  async runScenario(scenario: string, seed?: number): Promise<{ run: RunInfo; cycles: CycleInfo[] }> {
    const response = await this.request.post("/api/runs", { data: seed === undefined ? { scenario } : { scenario, seed } });
    expect(response.status(), await response.text()).toBe(201);
    return response.json();
  }

  async actors(runId: string): Promise<{ actorId: string; state: string | null }[]> {
    return this.getJson(`/api/runs/${encodeURIComponent(runId)}/actors`);
  }

  async cycles(runId: string): Promise<CycleInfo[]> {
    return this.getJson(`/api/runs/${encodeURIComponent(runId)}/cycles`);
  }

  async diagram(runId: string, query: DiagramQuery): Promise<DiagramResponse> {
    const params = new URLSearchParams({ actor: query.actor, detail: query.detail ?? "default" });
    if (query.cycle !== undefined) params.set("cycle", String(query.cycle));
    return this.getJson(`/api/runs/${encodeURIComponent(runId)}/diagram?${params.toString()}`);
  }

  private async getJson<T>(url: string): Promise<T> {
    const response = await this.request.get(url);
    expect(response.status(), `${url}: ${await response.text()}`).toBe(200);
    return response.json() as Promise<T>;
  }
}
