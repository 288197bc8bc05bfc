// Runs an EngineRuntime on the real clock: before every outside input the runtime is advanced to
// wall-clock time, and one wall timer waits for the runtime's next scheduled work. Engine time is
// milliseconds since the driver started.
import type { Clock } from "../clock";
import type { EngineRuntime } from "../runtime";

export type AfterStep = () => void;

export class WallDriver {
  private readonly startedAt: number;
  private timer: unknown = null;
  private timerAt: number | null = null;
  private stopped = false;
  private pumping = false;
  private readonly afterSteps: AfterStep[] = [];

  constructor(
    private readonly runtime: EngineRuntime,
    private readonly clock: Clock,
    /** A participant that throws is a bug: it is reported, and the engine keeps running. */
    private readonly onError: (err: unknown) => void = (err) => console.error("[wakeline] engine step failed:", err),
  ) {
    this.startedAt = clock.now();
  }

  /** Epoch milliseconds of engine time 0. */
  get epoch(): number {
    return this.startedAt;
  }

  /** Engine time now (never behind the runtime's own clock). */
  elapsed(): number {
    return Math.max(this.runtime.now, this.clock.now() - this.startedAt);
  }

  /** Epoch milliseconds of an engine time. */
  toEpoch(engineMs: number): number {
    return this.startedAt + engineMs;
  }

  /** Called after every advance: transports look at what the engine decided (closed sockets, drains). */
  onAfterStep(hook: AfterStep): void {
    this.afterSteps.push(hook);
  }

  /** Feeds one outside input at the current wall time, then runs whatever became due. */
  input(apply: () => void): void {
    this.advance();
    try {
      apply();
    } catch (err) {
      this.onError(err);
    } finally {
      this.pump();
    }
  }

  /** Runs every task due by now, lets the transports react, and waits for the next one. */
  pump(): void {
    if (this.stopped || this.pumping) return;
    this.pumping = true;
    try {
      this.advance();
      for (const hook of this.afterSteps) {
        try {
          hook();
        } catch (err) {
          this.onError(err);
        }
      }
      // A hook may have fed inputs that are already due.
      this.advance();
    } finally {
      this.pumping = false;
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = null;
  }

  private advance(): void {
    try {
      this.runtime.advanceTo(this.elapsed());
    } catch (err) {
      this.onError(err);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.runtime.nextWorkAt();
    if (next === null) return;
    if (this.timer !== null && this.timerAt !== null && this.timerAt <= next) return;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timerAt = next;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.timerAt = null;
      this.pump();
    }, Math.max(0, next - this.elapsed()));
  }
}
