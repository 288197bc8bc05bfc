// The dashboard's route handlers, called directly as the plain `(request) => Response` functions
// they are: malformed URLs, oversize and invalid bodies get a coded 4xx, and nothing is written.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { exportRun } from "@/lib/services/bundles";
import { runScenario } from "@/lib/services/runs";
import type { TraceBundle } from "@/lib/trace/types";

// The guard against importing server code into client components has no meaning in a test.
vi.mock("server-only", () => ({}));

const { POST: importRun } = await import("./runs/import/route");
const { GET: listRuns, POST: startRun } = await import("./runs/route");
const { POST: share } = await import("./share/route");
const { GET: shareInfo } = await import("./share/[token]/route");
const { GET: openShare } = await import("../s/[token]/route");

let temp: TempDb;
let bundle: TraceBundle;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  temp = await createTempDb();
  process.env.DATABASE_URL = temp.url;
  const { run } = await runScenario(temp.db, { scenario: "ideal" });
  bundle = JSON.parse(JSON.stringify(await exportRun(temp.db, run.id))) as TraceBundle;
});
afterAll(async () => {
  process.env.DATABASE_URL = previousUrl;
  await temp.cleanup();
});

const url = (path: string) => `http://localhost${path}`;
const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) => new Request(url(path), { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
const counts = async () => ({ runs: await temp.db.run.count(), events: await temp.db.event.count() });

async function expectCoded(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ code, message: expect.any(String) });
}

describe("malformed URLs", () => {
  it("answers a malformed percent-escape in the query with 400 invalid_url", async () => {
    await expectCoded(await listRuns(new Request(url("/api/runs?name=%zz"))), 400, "invalid_url");
    await expectCoded(await startRun(post("/api/runs?x=%", JSON.stringify({ scenario: "ideal" }))), 400, "invalid_url");
    await expectCoded(await importRun(post("/api/runs/import?x=%E0%A4%A", JSON.stringify(bundle))), 400, "invalid_url");
  });

  it("answers a share link or share lookup with a malformed URL with a coded 400, not a page", async () => {
    const params = { params: Promise.resolve({ token: "abc" }) };
    const opened = await openShare(new Request(url("/s/abc%zz")), params);
    expect(opened.headers.get("content-type")).toMatch(/json/);
    await expectCoded(opened, 400, "invalid_url");
    await expectCoded(await shareInfo(new Request(url("/api/share/abc%z")), params), 400, "invalid_url");
  });
});

describe("body limits", () => {
  it("refuses a declared body over the limit with 413 and Connection: close, without reading it", async () => {
    const before = await counts();
    const big = post("/api/share", "{}", { "content-length": String(10 * 1024 * 1024) });
    const answer = await share(big);
    expect(answer.headers.get("connection")).toBe("close");
    await expectCoded(answer, 413, "request_body_too_large");
    const bundleSized = post("/api/runs/import", "{}", { "content-length": String(2 * 1024 * 1024 * 1024 + 1) });
    await expectCoded(await importRun(bundleSized), 413, "request_body_too_large");
    expect(await counts()).toEqual(before);
  });

  it("stops reading a streamed body once it passes the limit", async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const answer = await share(new Request(url("/api/share"), { method: "POST", body: endless, duplex: "half" } as RequestInit));
    await expectCoded(answer, 413, "request_body_too_large");
    // The share limit is 64 KB: reading stopped soon after it.
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it("takes a bundle far larger than the small limits of the other routes", async () => {
    const padded = { ...bundle, run: { ...bundle.run, config: { padding: "x".repeat(3 * 1024 * 1024) } } };
    const answer = await importRun(post("/api/runs/import", JSON.stringify(padded)));
    expect(answer.status).toBe(201);
    await expectCoded(await share(post("/api/share", JSON.stringify({ path: "/x".repeat(40_000) }))), 413, "request_body_too_large");
  });
});

describe("POST /api/runs/import with bad bundles", () => {
  it("answers a bundle with a bad reference with 400 invalid_bundle naming the seq, and writes nothing", async () => {
    const before = await counts();
    const event = bundle.events.find((e) => e.causeSeq !== null)!;
    const broken = { ...bundle, events: bundle.events.map((e) => (e.seq === event.seq ? { ...e, causeSeq: e.seq + 1 } : e)) };
    const answer = await importRun(post("/api/runs/import", JSON.stringify(broken)));
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ code: "invalid_bundle", message: expect.stringContaining(`Event ${event.seq} has causeSeq`) });
    expect(await counts()).toEqual(before);
  });

  it("answers a bundle that turns bad early with 400 once the client has sent it all, and keeps none of it", async () => {
    const before = await counts();
    const event = bundle.events[2];
    const broken = JSON.stringify({ ...bundle, events: bundle.events.map((e) => (e.seq === event.seq ? { ...e, relayOf: e.seq } : e)) });
    const bytes = new TextEncoder().encode(broken);
    const pieceSize = 512;
    let sent = 0;
    // A client still sending when the bad event is found: the answer waits for the rest of the body
    // (dropped unread), so the client gets the coded error rather than a reset connection.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(sent, sent + pieceSize));
        sent += pieceSize;
      },
    });
    const answer = await importRun(new Request(url("/api/runs/import"), { method: "POST", body, duplex: "half" } as RequestInit));
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ code: "invalid_bundle", message: expect.stringContaining(`Event ${event.seq} has relayOf`) });
    expect(bytes.length).toBeGreaterThan(20 * pieceSize);
    expect(sent).toBeGreaterThanOrEqual(bytes.length);
    expect(await counts()).toEqual(before);
  });

  it("answers text that is not JSON, or no body, with 400 invalid_json", async () => {
    const before = await counts();
    await expectCoded(await importRun(post("/api/runs/import", JSON.stringify(bundle).slice(0, 500))), 400, "invalid_json");
    await expectCoded(await importRun(post("/api/runs/import", " ")), 400, "invalid_json");
    expect(await counts()).toEqual(before);
  });
});

describe("POST /api/runs with scenarios that would never end", () => {
  it("refuses a ping interval of 0 and unknown timing keys, naming the key, and records nothing", async () => {
    const before = await counts();
    for (const timing of [{ pingIntervalMs: 0 }, { endpointPingMs: -1 }, { pingEveryMs: 5 }]) {
      const answer = await startRun(post("/api/runs", JSON.stringify({ scenario: { name: "loop", config: { timing } } })));
      expect(answer.status).toBe(400);
      const body = (await answer.json()) as { code: string; message: string };
      expect(body.code).toBe("scenario_invalid");
      expect(body.message).toContain(`config.timing.${Object.keys(timing)[0]}`);
    }
    expect(await counts()).toEqual(before);
  });
});
