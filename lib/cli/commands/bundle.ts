// wakeline export --run <id> [--out file] | wakeline import <file> [--progress]: both piece by piece
import { optionalString, parse, requireString } from "../args";
import { openFileStream, writeFileFromPieces } from "../files";
import { helpFor } from "../help";
import { EXIT_OK, UsageError, type CliIO } from "../io";
import { withDb } from "../session";

export async function exportCommand(args: string[], io: CliIO): Promise<number> {
  const command = "export";
  const parsed = parse(command, args, { run: { type: "string" }, out: { type: "string" } });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const runId = requireString(parsed, "run", command);
  const out = optionalString(parsed, "out");
  const { exportRunText } = await import("@/lib/services/bundles");
  // Written as it is read, a page of events at a time: a run of any size is never held whole.
  return withDb(async (db) => {
    const { run, pieces } = await exportRunText(db, runId);
    if (out === undefined) {
      for await (const piece of pieces) io.stdout(piece);
      io.stdout("\n");
    } else {
      const written = await writeFileFromPieces(io.cwd, out, pieces, "\n");
      io.stderr(`Wrote run ${run.id} (${run.eventCount} events) to ${written}\n`);
    }
    return EXIT_OK;
  });
}

export async function importCommand(args: string[], io: CliIO): Promise<number> {
  const command = "import";
  const parsed = parse(command, args, { progress: { type: "boolean" } }, 1);
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const file = parsed.positionals[0];
  if (!file) throw new UsageError("which file? Give a bundle written by wakeline export", command);
  const { stream, size } = openFileStream(io.cwd, file, "bundle");
  const progress = io.interactive || parsed.values.progress === true ? new ImportProgressLine(io, size) : null;
  const { importBundleStream } = await import("@/lib/services/bundles");
  try {
    const run = await withDb((db) => importBundleStream(db, stream, { onProgress: (p) => progress?.show(p.bytes, p.events) }));
    progress?.done(`Imported ${run.eventCount.toLocaleString("en")} events as run ${run.id}`);
    io.stdout(`${run.id}\n`);
    return EXIT_OK;
  } catch (err) {
    progress?.done(null);
    throw err;
  } finally {
    stream.destroy();
  }
}

/**
 * How far an import is, on stderr: one line rewritten in place on a terminal; otherwise (with
 * --progress, e.g. in a CI log) a line at every tenth of the file.
 */
class ImportProgressLine {
  private shownTenth = -1;
  private drawn = false;

  constructor(
    private readonly io: CliIO,
    private readonly size: number,
  ) {}

  show(bytes: number, events: number): void {
    const share = this.size > 0 ? Math.min(1, bytes / this.size) : 1;
    const text = `Importing: ${Math.floor(share * 100)} % of ${(this.size / 1e6).toFixed(1)} MB, ${events.toLocaleString("en")} events`;
    if (this.io.interactive) {
      this.io.stderr(`\r${text}\x1b[K`);
      this.drawn = true;
    } else if (Math.floor(share * 10) > this.shownTenth) {
      this.shownTenth = Math.floor(share * 10);
      this.io.stderr(`${text}\n`);
    }
  }

  /** Ends the progress: a closing line, or (on failure, null) just a fresh line for the error. */
  done(text: string | null): void {
    if (this.io.interactive && this.drawn) this.io.stderr(text === null ? "\n" : `\r${text}\x1b[K\n`);
    else if (text !== null) this.io.stderr(`${text}\n`);
  }
}
