// Long work without holding the event loop: the server that imports a bundle also hosts the live
// engine, whose timers and sockets must keep their turn. Work runs in slices of a few milliseconds
// with a yield to the event loop in between.

/** Yields to the event loop once the current slice has run for `sliceMs`. */
export class Slicer {
  private deadline: number;

  constructor(private readonly sliceMs = 8) {
    this.deadline = performance.now() + sliceMs;
  }

  /** Cheap when the slice has time left; call it often. */
  async pause(): Promise<void> {
    if (performance.now() < this.deadline) return;
    // setImmediate runs after the poll phase: timers and I/O due meanwhile run first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.deadline = performance.now() + this.sliceMs;
  }
}
