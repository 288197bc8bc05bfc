// wakeline record --engine <url> [--port N] … : records a real Rivet engine through a proxy until
// Ctrl-C or --duration, then adds the engine's workflow histories to the run.
// wakeline record import-history --run <id> … : (re)reads the histories of a stopped engine.
import { optionalInteger, optionalString, parse, requireString, type Parsed } from "../args";
import { cycleTable } from "../format";
import { helpFor } from "../help";
import { CliFailure, EXIT_OK, UsageError, type CliIO } from "../io";
import { withDb } from "../session";
import type { EngineCliReaderOptions } from "@/lib/history/engine-cli-reader";
import type { ImportResult } from "@/lib/history/import";
import type { HistoryReader } from "@/lib/history/types";
import type { SpanTiming } from "@/lib/otlp/timing";
import type { TraceIntake } from "@/lib/services/real-recordings";

const HISTORY_OPTIONS = {
  "data-dir": { type: "string" },
  config: { type: "string", multiple: true },
  "engine-bin": { type: "string" },
  "otlp-file": { type: "string" },
} as const;

export async function recordCommand(args: string[], io: CliIO): Promise<number> {
  if (args[0] === "import-history") return importHistoryCommand(args.slice(1), io);
  const command = "record";
  const parsed = parse(command, args, {
    engine: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    "public-url": { type: "string" },
    name: { type: "string" },
    duration: { type: "string" },
    "no-history": { type: "boolean" },
    "keep-endpoint": { type: "boolean" },
    "no-serverless-rewrite": { type: "boolean" },
    "no-otlp": { type: "boolean" },
    "otlp-grpc-port": { type: "string" },
    "otlp-http-port": { type: "string" },
    json: { type: "boolean" },
    ...HISTORY_OPTIONS,
  });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const engineUrl = requireString(parsed, "engine", command);
  if (!/^https?:\/\/[^/]+/.test(engineUrl)) throw new UsageError(`--engine must be an http(s) URL, not "${engineUrl}"`, command);
  const port = optionalInteger(parsed, "port", command) ?? 6520;
  const duration = optionalInteger(parsed, "duration", command, 1);
  const host = optionalString(parsed, "host") ?? "127.0.0.1";
  const [{ startRecording }, { addEngineHistory }] = await Promise.all([import("@/lib/proxy/recording"), import("@/lib/services/real-recordings")]);

  return withDb(async (db) => {
    let recording;
    try {
      recording = await startRecording(db, {
        engineUrl,
        host,
        port,
        publicUrl: optionalString(parsed, "public-url"),
        name: optionalString(parsed, "name"),
        rewriteEndpoint: parsed.values["keep-endpoint"] !== true,
        rewriteServerless: parsed.values["no-serverless-rewrite"] !== true,
      });
    } catch (err) {
      throw new CliFailure(err instanceof Error ? err.message : String(err));
    }
    const { run, proxy } = recording;
    io.stdout(`Recording run ${run.id} (${run.name}) through ${proxy.url} → ${engineUrl}\n`);
    const traces = parsed.values["no-otlp"] === true ? null : await startTraces(parsed, host, io);
    io.stderr(
      `Point users, runners, envoys and rivetkit apps at ${proxy.url} instead of ${engineUrl}; ` +
        `PUT serverless runner configs through it. ${duration ? `Stopping in ${duration} s.` : "Ctrl-C stops."}\n`,
    );
    await untilStopped(duration);
    io.stderr("Stopping…\n");
    await recording.stop();
    if (traces) io.stderr("Waiting for the engine's last traces…\n");
    const timing = traces ? await traces.stop() : await timingFromFile(parsed, io);
    const warn = (message: string) => io.stderr(`wakeline: ${message}\n`);
    const result = await addEngineHistory(db, run.id, parsed.values["no-history"] === true ? null : readerOptions(parsed), timing, warn);
    report(result, parsed.values.json === true, io);
    return EXIT_OK;
  });
}

async function importHistoryCommand(args: string[], io: CliIO): Promise<number> {
  const command = "record import-history";
  const parsed = parse(command, args, { run: { type: "string" }, json: { type: "boolean" }, ...HISTORY_OPTIONS });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const runId = requireString(parsed, "run", command);
  const { importHistory } = await import("@/lib/history/import");
  return withDb(async (db) => {
    const { findRun } = await import("@/lib/store/trace-store");
    const run = await findRun(db, runId);
    if (!run) throw new CliFailure(`no run ${runId} (see "wakeline runs")`);
    if (run.status === "running") throw new CliFailure(`run ${runId} is still recording; stop it first`);
    const reader = await openReader(parsed);
    try {
      report(await importHistory(db, runId, reader, await timingFromFile(parsed, io)), parsed.values.json === true, io);
    } catch (err) {
      throw new CliFailure(err instanceof Error ? err.message : String(err));
    } finally {
      await reader?.close();
    }
    return EXIT_OK;
  });
}

/** The engine's traces while recording; see startTraceIntake. */
async function startTraces(parsed: Parsed, host: string, io: CliIO): Promise<TraceIntake | null> {
  const { startTraceIntake, traceInstructions } = await import("@/lib/services/real-recordings");
  const intake = await startTraceIntake({
    host,
    grpcPort: optionalInteger(parsed, "otlp-grpc-port", "record"),
    httpPort: optionalInteger(parsed, "otlp-http-port", "record"),
    warn: (message: string) => io.stderr(`wakeline: ${message}; use --otlp-grpc-port / --otlp-http-port, or --no-otlp\n`),
  });
  if (intake) io.stderr(`Engine traces: ${traceInstructions(intake.receiver)}.\n`);
  return intake;
}

function readerOptions(parsed: Parsed): EngineCliReaderOptions {
  return { dataDir: optionalString(parsed, "data-dir"), configPaths: parsed.values.config as unknown as string[] | undefined, engineBin: optionalString(parsed, "engine-bin") };
}

async function openReader(parsed: Parsed): Promise<HistoryReader> {
  const { openEngineCliReader } = await import("@/lib/history/engine-cli-reader");
  try {
    return await openEngineCliReader(readerOptions(parsed));
  } catch (err) {
    throw new CliFailure(err instanceof Error ? err.message : String(err));
  }
}

/** `--otlp-file`: traces saved as OTLP/JSON (one document, or one export request per line as collectors' file exporters write). */
async function timingFromFile(parsed: Parsed, io: CliIO): Promise<SpanTiming | null> {
  const file = optionalString(parsed, "otlp-file");
  if (!file) return null;
  const [{ readTextFile }, { spansOfExport }, { spanTiming }] = await Promise.all([import("../files"), import("@/lib/otlp/spans"), import("@/lib/otlp/timing")]);
  const text = readTextFile(io.cwd, file, "trace file");
  const parseDocument = (document: string, where: string) => {
    try {
      return spansOfExport(JSON.parse(document));
    } catch (err) {
      throw new CliFailure(`${file}${where}: not OTLP/JSON traces (${err instanceof Error ? err.message : String(err)})`);
    }
  };
  let whole: unknown = undefined;
  try {
    whole = JSON.parse(text);
  } catch {
    // JSON lines: one export request per line.
  }
  if (whole !== undefined) return spanTiming(parseDocument(text, ""));
  const lines = text.split("\n").map((line, i) => [line, i + 1] as const).filter(([line]) => line.trim() !== "");
  return spanTiming(lines.flatMap(([line, n]) => parseDocument(line, ` line ${n}`)));
}

function report(result: ImportResult, json: boolean, io: CliIO): void {
  const { run, cycles, workflows, added, source, sources } = result;
  if (json) {
    io.stdout(`${JSON.stringify({ runId: run.id, events: run.eventCount, workflows, added, sources, cycles: cycles.map(({ runId: _run, ...c }) => (void _run, c)) })}\n`);
    return;
  }
  const read = Object.entries(workflows).map(([name, n]) => `${n} ${name}`).join(", ");
  io.stdout(
    `Run ${run.id}  ${run.name}  ${run.eventCount} events  (from ${sources.join(" + ")})` +
      (source ? `\nWorkflow histories (${source}): ${read || "none matched"}; ${added} events added` : "\nNo workflow histories.") +
      `\n\n${cycleTable(cycles)}\n\nDraw it: wakeline diagram --run ${run.id}\n`,
  );
}

function untilStopped(durationS: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      clearTimeout(timer);
      resolve();
    };
    const timer = durationS ? setTimeout(done, durationS * 1000) : undefined;
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}
