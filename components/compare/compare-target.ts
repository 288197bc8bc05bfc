// What a comparison shows, as it is written in the URL: `/compare?a=<run>:<actor>:<cycle>&b=…`.
// Without a cycle number a side is the actor's whole run. `with=reference` compares A with a
// reference diagram instead of a second recording.

export interface CycleRef {
  runId: string;
  actorId: string;
  /** A cycle of the actor (from 1), or undefined for the actor's whole run. */
  ordinal?: number;
}

export interface CompareTarget {
  a: CycleRef | null;
  b: CycleRef | null;
  /** Compare A with a reference diagram (pasted or uploaded) rather than with B. */
  withReference: boolean;
}

/** `run:actor:3`, or `run:actor` for the whole run. Run ids never contain a colon. */
export function formatCycleRef(ref: CycleRef): string {
  return ref.ordinal === undefined ? `${ref.runId}:${ref.actorId}` : `${ref.runId}:${ref.actorId}:${ref.ordinal}`;
}

export function parseCycleRef(text: string | null | undefined): CycleRef | null {
  if (!text) return null;
  const parts = text.split(":");
  if (parts.length < 2 || parts[0] === "") return null;
  const [runId, ...rest] = parts;
  const last = rest.at(-1)!;
  if (rest.length >= 2 && /^[1-9]\d{0,8}$/.test(last)) {
    const actorId = rest.slice(0, -1).join(":");
    return actorId ? { runId, actorId, ordinal: Number(last) } : null;
  }
  const actorId = rest.join(":");
  return actorId ? { runId, actorId } : null;
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function param(params: Params, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

export function parseCompareTarget(params: Params): CompareTarget {
  return {
    a: parseCycleRef(param(params, "a")),
    b: parseCycleRef(param(params, "b")),
    withReference: param(params, "with") === "reference",
  };
}

export function compareHref(target: Partial<CompareTarget>): string {
  const parts: string[] = [];
  // Colons are left readable: `a=run:actor:2` survives copy and paste as it is.
  const encode = (ref: CycleRef) => formatCycleRef(ref).split(":").map(encodeURIComponent).join(":");
  if (target.a) parts.push(`a=${encode(target.a)}`);
  if (target.withReference) parts.push("with=reference");
  else if (target.b) parts.push(`b=${encode(target.b)}`);
  return parts.length === 0 ? "/compare" : `/compare?${parts.join("&")}`;
}

/** "cycle 2 of actor-1 (run abc)" or "whole run of actor-1 (run abc)". */
export function describeCycleRef(ref: CycleRef, runName?: string): string {
  const what = ref.ordinal === undefined ? `whole run of ${ref.actorId}` : `cycle ${ref.ordinal} of ${ref.actorId}`;
  return `${what} (${runName ?? `run ${ref.runId}`})`;
}
