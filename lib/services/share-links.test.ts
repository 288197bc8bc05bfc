import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import {
  createShareLink,
  getShareLink,
  parseSharedPath,
  resolveShareLink,
  revokeShareLink,
  shareLinkStatus,
} from "./share-links";
import { recordTrace } from "./testing/record";

let temp: TempDb;
let runId: string;
const t0 = new Date("2026-03-01T10:00:00.000Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

beforeAll(async () => {
  temp = await createTempDb();
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  runId = (await recordTrace(temp.db, b.events, { name: "shared" })).run.id;
});
afterAll(() => temp.cleanup());

describe("createShareLink / resolveShareLink", () => {
  it("stores the exact path and query of the view and gives it back from a short token", async () => {
    const path = `/runs/${runId}/cycles/1?actor=a1&detail=full&step=7&sel=12`;
    const link = await createShareLink(temp.db, { path }, { now: t0 });

    expect(link.token).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(link).toMatchObject({ runId, target: path, createdAt: t0.toISOString(), expiresAt: null, revokedAt: null });
    expect(await resolveShareLink(temp.db, link.token, minutes(60 * 24 * 365))).toEqual(link);
  });

  it("shares a comparison under the run of its first cycle", async () => {
    const path = `/compare?a=${runId}:a1:1&b=${runId}:a1:1`;
    const link = await createShareLink(temp.db, { path });
    expect(link.runId).toBe(runId);
    expect((await resolveShareLink(temp.db, link.token)).target).toBe(path);
  });

  it("gives every link its own token, even when the first one drawn is taken", async () => {
    const drawn = ["taken123", "taken123", "fresh456"];
    const newToken = () => drawn.shift()!;
    const first = await createShareLink(temp.db, { path: `/runs/${runId}` }, { newToken });
    const second = await createShareLink(temp.db, { path: `/runs/${runId}?actor=a1` }, { newToken });
    expect([first.token, second.token]).toEqual(["taken123", "fresh456"]);
    expect((await resolveShareLink(temp.db, "taken123")).target).toBe(`/runs/${runId}`);
  });

  it("refuses addresses outside the app and views of no run", async () => {
    for (const path of ["https://evil.example/runs/x", "//evil.example/runs/x", "/\\evil.example", "runs/x", "/", "/compare", ""]) {
      await expect(createShareLink(temp.db, { path }), path).rejects.toMatchObject({ code: "invalid_share_path", status: 400 });
    }
    await expect(createShareLink(temp.db, { path: "/runs/no-such-run" })).rejects.toMatchObject({ code: "run_not_found", status: 404 });
  });

  it("refuses a lifetime that is not a sensible whole number of seconds", async () => {
    for (const expiresInSeconds of [0, 30, 1.5, -60, 400 * 24 * 3600]) {
      await expect(createShareLink(temp.db, { path: `/runs/${runId}`, expiresInSeconds })).rejects.toMatchObject({
        code: "invalid_expiry",
        status: 400,
      });
    }
  });
});

describe("expiry", () => {
  it("follows a link until its lifetime is over, then answers 410 saying it expired", async () => {
    const link = await createShareLink(temp.db, { path: `/runs/${runId}`, expiresInSeconds: 3600 }, { now: t0 });
    expect(link.expiresAt).toBe(minutes(60).toISOString());

    expect(shareLinkStatus(link, minutes(59))).toBe("active");
    await expect(resolveShareLink(temp.db, link.token, minutes(59))).resolves.toMatchObject({ token: link.token });

    expect(shareLinkStatus(link, minutes(60))).toBe("expired");
    await expect(resolveShareLink(temp.db, link.token, minutes(60))).rejects.toMatchObject({
      code: "share_link_expired",
      status: 410,
      message: "This share link expired on 2026-03-01 11:00 UTC.",
    });
    // Still readable as it was stored, so a page can say what it pointed to.
    expect((await getShareLink(temp.db, link.token)).target).toBe(`/runs/${runId}`);
  });
});

describe("revokeShareLink", () => {
  it("stops a link for good, keeping the time it was first revoked", async () => {
    const link = await createShareLink(temp.db, { path: `/runs/${runId}?actor=a1` }, { now: t0 });
    const revoked = await revokeShareLink(temp.db, link.token, minutes(5));
    expect(revoked.revokedAt).toBe(minutes(5).toISOString());

    await expect(resolveShareLink(temp.db, link.token, minutes(6))).rejects.toMatchObject({
      code: "share_link_revoked",
      status: 410,
      message: "This share link was revoked on 2026-03-01 10:05 UTC.",
    });
    expect((await revokeShareLink(temp.db, link.token, minutes(30))).revokedAt).toBe(minutes(5).toISOString());
    expect(shareLinkStatus(revoked, minutes(6))).toBe("revoked");
  });

  it("answers 404 for a token that was never issued, however it looks", async () => {
    for (const token of ["nope0000", "", "../../etc", "x".repeat(200)]) {
      await expect(resolveShareLink(temp.db, token)).rejects.toMatchObject({ code: "share_link_not_found", status: 404 });
      await expect(revokeShareLink(temp.db, token)).rejects.toMatchObject({ code: "share_link_not_found", status: 404 });
    }
  });
});

describe("parseSharedPath", () => {
  it("finds the run of a view and keeps its query untouched", () => {
    expect(parseSharedPath("/runs/abc%20def/cycles/2?actor=a%3A1&x=1")).toEqual({
      runId: "abc def",
      path: "/runs/abc%20def/cycles/2",
      search: "?actor=a%3A1&x=1",
    });
    expect(parseSharedPath("/compare?b=r9:a1:2").runId).toBe("r9");
  });
});
