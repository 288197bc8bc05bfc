// Moves WAL checkpoints off the event loop. SQLite copies the write-ahead log back into the
// database file from inside a COMMIT once the log passes 1000 pages, and ends that copy with an
// fsync: on a busy disk one such commit held the loop for 0.2–1 s while a large run recorded. The
// recording connection turns that off and leaves checkpoints to this worker thread, whose own
// connection copies the log (PASSIVE: writers and readers go on meanwhile) whenever enough has
// been written since the last copy.
//
// SQLite starts the log over only when a copy has caught up with it, which never happens while
// the recorder writes on during every copy: now and then (`wantsQuiet`) the writer waits for one
// copy with no write of its own meanwhile, so the log is rewound and stays a few tens of MB.
//
// The worker loads the very better-sqlite3 the process already uses (single-sqlite.test.ts): two
// copies of SQLite in one process would each think they hold the file's locks.
import { createRequire } from "node:module";
import path from "node:path";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { projectRoot } from "./location";

/** Rows written between two checkpoints: roughly SQLite's own 1000 pages. */
const ROWS_PER_CHECKPOINT = 2_000;
/** Rows written (about 2.5 KB of log each, indexes included) before the writer lets a copy catch up. */
const ROWS_PER_REWIND = 16_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let db = null;
parentPort.on("message", (message) => {
  if (message === "close") {
    if (db) db.close();
    db = null;
    parentPort.close();
    return;
  }
  try {
    if (!db) db = new Database(workerData.file, { timeout: 0, fileMustExist: true });
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy (another process checkpoints) or closed: the next round copies what is left.
  }
  parentPort.postMessage("checkpointed");
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private inFlight: Promise<void> | null = null;
  private settle: (() => void) | null = null;
  private rowsSince = 0;
  private rowsSinceRewind = 0;
  private closed = false;

  private constructor(file: string) {
    const driver = createRequire(path.join(projectRoot(), "package.json")).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
    this.worker.unref();
    this.worker.on("message", () => this.done());
    // A worker that cannot run leaves the log to grow until the next writer checkpoints it; the
    // recording connection then checkpoints again itself (see `running`).
    this.worker.on("error", () => {
      this.closed = true;
      this.done();
    });
    this.worker.on("exit", () => {
      this.closed = true;
      this.done();
    });
  }

  /** A checkpointer for the file, or null when worker threads cannot start here. */
  static start(file: string): WalCheckpointer | null {
    try {
      return new WalCheckpointer(file);
    } catch {
      return null;
    }
  }

  /** False once the worker is gone: its connection's writers must checkpoint again themselves. */
  get running(): boolean {
    return !this.closed;
  }

  /** Counts rows just committed; asks for a checkpoint once enough were. */
  wrote(rows: number): void {
    this.rowsSince += rows;
    this.rowsSinceRewind += rows;
    if (this.rowsSince >= ROWS_PER_CHECKPOINT) this.request();
  }

  /** True when the log should be let to catch up before the next write (see the header). */
  get wantsQuiet(): boolean {
    return !this.closed && this.rowsSinceRewind >= ROWS_PER_REWIND;
  }

  /** Resolves once a checkpoint has run with no write of the caller's meanwhile. */
  async quiet(): Promise<void> {
    await this.inFlight;
    this.rowsSinceRewind = 0;
    await this.request();
  }

  private request(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    this.rowsSince = 0;
    this.inFlight = new Promise<void>((resolve) => (this.settle = resolve));
    this.worker.postMessage("checkpoint");
    return this.inFlight;
  }

  private done(): void {
    const settle = this.settle;
    this.inFlight = null;
    this.settle = null;
    settle?.();
  }

  /** Closes the worker's connection and waits for the thread to end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = once(this.worker, "exit").catch(() => undefined);
    // Waited for, so held: an unheld worker would let the process run out of work while a caller
    // still awaits its end (a CLI's last `await` would never settle).
    this.worker.ref();
    this.worker.postMessage("close");
    // A worker stuck in a checkpoint is not waited for long.
    const stop = setTimeout(() => void this.worker.terminate(), 2_000);
    await exited;
    clearTimeout(stop);
  }
}
