// Times in a cycle view: engine milliseconds relative to the cycle's start ("+1.250 s"), and as
// wall-clock instants (the run's start + engine time) in UTC or the browser's time zone. Pure: the
// time zone offset comes in as an argument instead of being read from the machine.
import type { TimeZoneChoice } from "./view-state";

/** "+0 ms", "+850 ms", "+1.250 s", "+2 min 5.000 s" (always signed, exact to the millisecond). */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? "−" : "+";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${trimNumber(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(3)} s`;
  const minutes = Math.floor(abs / 60_000);
  return `${sign}${minutes} min ${((abs - minutes * 60_000) / 1000).toFixed(3)} s`;
}

/** A gap between two events, unsigned: "12 ms", "1.500 s". */
export function formatGap(ms: number): string {
  return formatOffset(ms).slice(1);
}

/**
 * "2025-01-31 14:05:09.123 UTC", or in local time "2025-01-31 15:05:09.123 UTC+01:00".
 * `localOffsetMinutes(date)` is the local offset east of UTC, i.e. −Date#getTimezoneOffset().
 */
export function formatInstant(
  startedAtIso: string,
  engineMs: number,
  zone: TimeZoneChoice,
  localOffsetMinutes: (date: Date) => number,
): string {
  const start = Date.parse(startedAtIso);
  if (Number.isNaN(start)) return "—";
  const instant = new Date(start + engineMs);
  const offset = zone === "local" ? localOffsetMinutes(instant) : 0;
  const shifted = new Date(instant.getTime() + offset * 60_000);
  const text = shifted.toISOString().replace("T", " ").replace("Z", "");
  return `${text} ${zone === "utc" ? "UTC" : zoneName(offset)}`;
}

/** The browser's offset east of UTC for an instant (the impure half of `formatInstant`). */
export function browserOffsetMinutes(date: Date): number {
  return -date.getTimezoneOffset();
}

function zoneName(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, "0");
  const minutes = String(abs % 60).padStart(2, "0");
  return `UTC${sign}${hours}:${minutes}`;
}

function trimNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
}
