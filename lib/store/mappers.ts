// Conversions between the trace contract (lib/trace/types) and database rows. JSON columns are
// stored as text so the same schema works on SQLite and PostgreSQL.
import type { Cycle as CycleRow, Event as EventRow, Run as RunRow } from "@/lib/generated/prisma/client";
import type { RunOwner } from "./run-owner";
import type { Anomaly, CycleInfo, CycleOutcome, EventKind, Role, RunInfo, TraceEvent } from "@/lib/trace/types";

export type EventRowData = EventRow;
export type CycleRowData = CycleRow;

export function eventToRow(runId: string, event: TraceEvent): EventRowData {
  return {
    runId,
    seq: event.seq,
    time: event.time,
    kind: event.kind,
    fromRole: event.from?.role ?? null,
    fromId: event.from?.id ?? null,
    toRole: event.to?.role ?? null,
    toId: event.to?.id ?? null,
    type: event.type,
    label: event.label,
    payload: event.payload === undefined || event.payload === null ? null : JSON.stringify(event.payload),
    actorId: event.actorId,
    runnerId: event.runnerId,
    cycleId: event.cycleId,
    causeSeq: event.causeSeq,
    relayOf: event.relayOf,
    phaseId: event.phaseId,
    housekeeping: event.housekeeping,
  };
}

export type EventColumns = { [Column in keyof EventRowData]: EventRowData[Column][] };

/**
 * The rows as one array per column: PostgreSQL binds these to `unnest`, and a worker thread
 * receives them several times faster than one array per row. Spelled out column by column: a
 * loop over column names reads each property through a slow generic lookup.
 */
export function eventColumns(rows: readonly EventRowData[]): EventColumns {
  const out: EventColumns = {
    runId: [], seq: [], time: [], kind: [], fromRole: [], fromId: [], toRole: [], toId: [],
    type: [], label: [], payload: [], actorId: [], runnerId: [], cycleId: [], causeSeq: [],
    relayOf: [], phaseId: [], housekeeping: [],
  };
  for (const row of rows) {
    out.runId.push(row.runId);
    out.seq.push(row.seq);
    out.time.push(row.time);
    out.kind.push(row.kind);
    out.fromRole.push(row.fromRole);
    out.fromId.push(row.fromId);
    out.toRole.push(row.toRole);
    out.toId.push(row.toId);
    out.type.push(row.type);
    out.label.push(row.label);
    out.payload.push(row.payload);
    out.actorId.push(row.actorId);
    out.runnerId.push(row.runnerId);
    out.cycleId.push(row.cycleId);
    out.causeSeq.push(row.causeSeq);
    out.relayOf.push(row.relayOf);
    out.phaseId.push(row.phaseId);
    out.housekeeping.push(row.housekeeping);
  }
  return out;
}

/** eventColumns' arrays in the order of `columns`, as a statement binds them. */
export function eventColumnArrays(rows: readonly EventRowData[], columns: readonly (keyof EventRowData)[]): unknown[][] {
  const byColumn = eventColumns(rows);
  return columns.map((column) => byColumn[column]);
}

export function rowToEvent(row: EventRowData): TraceEvent {
  return {
    seq: row.seq,
    time: row.time,
    kind: row.kind as EventKind,
    from: row.fromRole ? { role: row.fromRole as Role, id: row.fromId ?? "" } : null,
    to: row.toRole ? { role: row.toRole as Role, id: row.toId ?? "" } : null,
    type: row.type,
    label: row.label,
    payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown),
    actorId: row.actorId,
    runnerId: row.runnerId,
    cycleId: row.cycleId,
    causeSeq: row.causeSeq,
    relayOf: row.relayOf,
    phaseId: row.phaseId,
    housekeeping: row.housekeeping,
  };
}

export function cycleToRow(cycle: CycleInfo): CycleRowData {
  return {
    id: cycle.id,
    runId: cycle.runId,
    actorId: cycle.actorId,
    ordinal: cycle.ordinal,
    firstSeq: cycle.firstSeq,
    lastSeq: cycle.lastSeq,
    startTime: cycle.startTime,
    endTime: cycle.endTime,
    outcome: cycle.outcome,
    wakeToReadyMs: cycle.wakeToReadyMs,
    coldStartMs: cycle.coldStartMs,
    requestsServed: cycle.requestsServed,
    eventCount: cycle.eventCount,
    anomalies: JSON.stringify(cycle.anomalies),
  };
}

/**
 * The row of a cycle that has just opened, stored while its run records so the events tagged with
 * it resolve (search joins them); the run's end replaces it with the cycle and its figures.
 */
export function openedCycleToRow(runId: string, cycle: { id: string; actorId: string; ordinal: number }, seq: number, time: number): CycleRowData {
  return {
    id: cycle.id,
    runId,
    actorId: cycle.actorId,
    ordinal: cycle.ordinal,
    firstSeq: seq,
    lastSeq: seq,
    startTime: time,
    endTime: null,
    outcome: "open",
    wakeToReadyMs: null,
    coldStartMs: null,
    requestsServed: 0,
    eventCount: 0,
    anomalies: "[]",
  };
}

export function rowToCycle(row: CycleRowData): CycleInfo {
  return {
    id: row.id,
    runId: row.runId,
    actorId: row.actorId,
    ordinal: row.ordinal,
    firstSeq: row.firstSeq,
    lastSeq: row.lastSeq,
    startTime: row.startTime,
    endTime: row.endTime,
    outcome: row.outcome as CycleOutcome,
    wakeToReadyMs: row.wakeToReadyMs,
    coldStartMs: row.coldStartMs,
    requestsServed: row.requestsServed,
    eventCount: row.eventCount,
    anomalies: JSON.parse(row.anomalies) as Anomaly[],
  };
}

/** A run row, with its config when it was read along (single-run reads do; lists leave it out). */
export function rowToRun(row: RunRow & { runConfig?: { config: string } | null }): RunInfo {
  return {
    id: row.id,
    name: row.name,
    source: row.source as RunInfo["source"],
    seed: row.seed,
    config: row.runConfig ? (JSON.parse(row.runConfig.config) as unknown) : null,
    status: row.status as RunInfo["status"],
    error: row.error,
    eventCount: row.eventCount,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt ? row.endedAt.toISOString() : null,
    followsRunId: row.followsRunId,
  };
}

/** A run's row; `owner` is the process recording it (none for a run written whole, e.g. an import). */
export function runToRow(run: RunInfo, owner: RunOwner | null = null): RunRow {
  return {
    id: run.id,
    name: run.name,
    source: run.source,
    seed: run.seed,
    status: run.status,
    error: run.error,
    eventCount: run.eventCount,
    startedAt: new Date(run.startedAt),
    endedAt: run.endedAt ? new Date(run.endedAt) : null,
    ownerKind: owner?.kind ?? null,
    owner: owner?.id ?? null,
    heartbeatAt: owner ? new Date() : null,
    followsRunId: run.followsRunId ?? null,
  };
}

/** The nested create of a new run's config row. */
export function runConfigCreate(run: RunInfo) {
  return { create: { config: JSON.stringify(run.config ?? null) } };
}
