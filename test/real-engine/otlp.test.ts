// The real engine exports its traces over OTLP/gRPC to Wakeline's receiver: a request through its
// gateway arrives as a `guard_request` span (path, method, status), and its workflows' spans give
// the send time of the signals they send, by signal id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "@/lib/otlp/receiver";
import type { Span } from "@/lib/otlp/spans";
import { SpanLog, spanTiming } from "@/lib/otlp/timing";
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { waitFor } from "@/lib/proxy/testing/wait";

describe("OTLP traces from the real engine", () => {
  let receiver: OtlpReceiver;
  let engine: RealEngine;
  const log = new SpanLog();

  beforeAll(async () => {
    receiver = await startOtlpReceiver({ httpPort: null, grpcPort: 0, onSpans: (spans) => log.add(spans) });
    engine = await startRealEngine({ env: { RIVET_OTEL_ENABLED: "1", RIVET_OTEL_GRPC_ENDPOINT: receiver.grpcUrl!, RIVET_OTEL_SAMPLER_RATIO: "1" } });
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await receiver?.close();
  });

  it("receives the gateway's request spans and the workflows' signal sends", async () => {
    expect((await engine.api("PUT", "/runner-configs/traced?namespace=default", { datacenters: { default: { normal: {} } } })).status).toBe(200);
    const created = await engine.api("POST", "/actors?namespace=default", { name: "traced", key: "t1", runner_name_selector: "traced", crash_policy: "sleep" });
    expect(created.status).toBe(200);
    const request = await waitFor(
      "the POST /actors request span",
      () => log.all().find((span: Span) => span.name === "guard_request" && String(span.attributes["http.path"] ?? "").startsWith("/actors")),
      60_000,
    );
    expect(request).toMatchObject({ service: "rivet", attributes: { "http.request.method": "POST", "http.response.status_code": 200 } });
    expect(request.endMs).toBeGreaterThan(request.startMs);
    // The new actor's workflow sends signals (a pool bump, at least) with their ids.
    const timing = await waitFor("a signal send span", () => {
      const found = spanTiming(log.all());
      return found.signals.size > 0 ? found : null;
    }, 60_000);
    const [first] = timing.signals.values();
    expect(first.signalId).toMatch(/^[a-z0-9]+$/);
    expect(timing.signalSentAt(first.signalId)).toBeGreaterThan(Date.now() - 5 * 60_000);
  }, 150_000);
});
