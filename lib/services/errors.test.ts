import { describe, expect, it } from "vitest";
import { RecorderError } from "@/lib/recorder/recorder";
import { StoreError } from "@/lib/store/errors";
import { conflict, invalidInput, notFound, toHttpError } from "./errors";

describe("toHttpError", () => {
  it("maps coded errors to their status and body", () => {
    expect(toHttpError(notFound("Run x not found", "run_not_found"))).toEqual({
      status: 404,
      body: { code: "run_not_found", message: "Run x not found" },
    });
    expect(toHttpError(invalidInput("bad")).status).toBe(400);
    expect(toHttpError(conflict("taken")).status).toBe(409);
  });

  it("reports storage trouble as unavailable and hides unexpected errors", () => {
    expect(toHttpError(new StoreError("migration_failed", "Migration x failed"))).toEqual({
      status: 503,
      body: { code: "migration_failed", message: "Migration x failed" },
    });
    expect(toHttpError(new RecorderError("write_failed", "recording run x failed: disk full")).status).toBe(503);
    expect(toHttpError(new RecorderError("seq_out_of_order", "expected seq 2, got 3")).status).toBe(500);
    expect(toHttpError(new TypeError("x is undefined at foo.ts:12"))).toEqual({
      status: 500,
      body: { code: "internal", message: "Internal error" },
    });
  });
});
