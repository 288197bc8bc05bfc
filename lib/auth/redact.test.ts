import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@/lib/trace/types";
import { REDACTED, redactEvent, redactText } from "./redact";

const event = (payload: unknown, label = "x"): TraceEvent => ({
  seq: 1,
  time: 0,
  kind: "message",
  from: null,
  to: null,
  type: "T",
  label,
  payload,
  actorId: null,
  runnerId: null,
  cycleId: null,
  causeSeq: null,
  relayOf: null,
  phaseId: null,
  housekeeping: false,
});

describe("redaction", () => {
  it("replaces secret headers in any casing, runner keys, and [name, value] header pairs", () => {
    const out = redactEvent(event({ headers: { Authorization: "Bearer a", COOKIE: "c", accept: "*/*" }, runnerKey: "k", list: [["set-cookie", "s"], ["x", "y"]] }));
    expect(out.payload).toEqual({ headers: { Authorization: REDACTED, COOKIE: REDACTED, accept: "*/*" }, runnerKey: REDACTED, list: [["set-cookie", REDACTED], ["x", "y"]] });
  });

  it("replaces tokens in URLs, gateway paths and subprotocol lists, in payloads and labels", () => {
    expect(redactText("/gateway/actor1@tok123/path?token=abc&x=1")).toBe(`/gateway/actor1@${REDACTED}/path?token=${REDACTED}&x=1`);
    expect(redactText("rivet, rivet_token.secret")).toBe(`rivet, rivet_token.${REDACTED}`);
    expect(redactEvent(event(null, "GET /x?access_token=zz")).label).toBe(`GET /x?access_token=${REDACTED}`);
  });

  it("keeps the event itself when there is nothing to redact, and everything when redaction is off", () => {
    const plain = event({ headers: { accept: "*/*" } });
    expect(redactEvent(plain)).toBe(plain);
    const secret = event({ headers: { cookie: "c" } });
    expect(redactEvent(secret, { enabled: false, secretHeaders: [] })).toBe(secret);
  });
});
