// Opens a database, records a few events through its writer and closes it, as a CLI run ends, then
// prints "closed": a close that waited on something the process does not hold would let the
// process run out of work and exit before that line. Used by the writer's test as a child process.
import { closeDb, openDb } from "../db";
import { eventWriterFor } from "../event-writer";
import { eventToRow } from "../mappers";
import { insertRun } from "../trace-store";

async function main(url: string) {
  const db = await openDb(url);
  const run = { id: "cli-run", name: "cli", source: "scenario" as const, seed: null, config: null, status: "running" as const, error: null, eventCount: 0, startedAt: new Date().toISOString(), endedAt: null };
  await insertRun(db, run);
  const rows = Array.from({ length: 3_000 }, (_, i) =>
    eventToRow(run.id, { seq: i + 1, time: i, kind: "note", from: null, to: null, type: "note", label: `note ${i}`, payload: null, actorId: null, runnerId: null, cycleId: null, causeSeq: null, relayOf: null, phaseId: null, housekeeping: false }),
  );
  await eventWriterFor(db).append(run.id, { rows });
  await closeDb(url);
  process.stdout.write("closed\n");
}

const url = process.argv[2];
if (!url) {
  process.stderr.write("usage: write-and-close <database url>\n");
  process.exit(2);
}
main(url).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
