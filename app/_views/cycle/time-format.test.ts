import { describe, expect, it } from "vitest";
import { formatGap, formatInstant, formatOffset } from "./time-format";

describe("formatOffset", () => {
  it("writes engine milliseconds relative to the cycle start", () => {
    expect(formatOffset(0)).toBe("+0 ms");
    expect(formatOffset(123)).toBe("+123 ms");
    expect(formatOffset(0.5)).toBe("+0.5 ms");
    expect(formatOffset(1_250)).toBe("+1.250 s");
    expect(formatOffset(125_004)).toBe("+2 min 5.004 s");
    expect(formatOffset(-40)).toBe("−40 ms");
    expect(formatGap(1_500)).toBe("1.500 s");
  });
});

describe("formatInstant", () => {
  const start = "2025-01-31T14:05:09.000Z";

  it("adds engine time to the run's start, in UTC", () => {
    expect(formatInstant(start, 123, "utc", () => 60)).toBe("2025-01-31 14:05:09.123 UTC");
  });

  it("shifts to the local zone and names its offset", () => {
    expect(formatInstant(start, 0, "local", () => 60)).toBe("2025-01-31 15:05:09.000 UTC+01:00");
    expect(formatInstant(start, 0, "local", () => -330)).toBe("2025-01-31 08:35:09.000 UTC-05:30");
  });

  it("shows a dash for an unreadable start", () => {
    expect(formatInstant("not a date", 0, "utc", () => 0)).toBe("—");
  });
});
