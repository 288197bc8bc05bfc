// Option parsing on top of node:util parseArgs, turning its errors into usage errors.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], options: Options, maxPositionals = 0): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(cleanParseError(err), command);
  }
  if (parsed.positionals.length > maxPositionals && !parsed.values.help) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`, command);
  }
  return { values: parsed.values as Parsed["values"], positionals: parsed.positionals };
}

export function requireString(parsed: Parsed, name: string, command: string): string {
  const value = parsed.values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`, command);
  return value;
}

export function optionalString(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

/** A whole number option; `min` guards against nonsense such as `--cycle 0`. */
export function optionalInteger(parsed: Parsed, name: string, command: string, min = 0): number | undefined {
  const value = optionalString(parsed, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new UsageError(`--${name} must be a whole number${min > 0 ? ` ≥ ${min}` : min === 0 ? " ≥ 0" : ""}, not "${value}"`, command);
  }
  return Number(value);
}

function cleanParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // parseArgs adds advice about "--" that does not apply here; keep the first sentence.
  return message.split(". ")[0].replace(/^Unknown option '(.+)'$/, "unknown option $1").replace(/\.$/, "");
}
