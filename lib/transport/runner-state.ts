// What the engine remembers about one runner (by runner key) across its connections: the events
// it already took (runners re-send unacknowledged events after every init), per-actor command
// indexes, and the commands written but not acknowledged yet (re-sent after a reconnect).
import type * as protocol from "@rivetkit/engine-runner-protocol";
import type { Checkpoint } from "../engine/messages";

export interface SentCommand {
  actorId: string;
  generation: number;
  index: number;
  kind: "start" | "stop";
  wrapper: protocol.CommandWrapper;
}

const actorGeneration = (actorId: string, generation: number) => `${actorId}/${generation}`;

export class RunnerKeyState {
  /** Connections that sent a valid init (the first is 1). */
  connections = 0;
  private readonly seen = new Map<string, number>();
  private readonly commandIndexes = new Map<string, number>();
  private unacked: SentCommand[] = [];

  /** True the first time an event checkpoint is seen; a re-sent event is a duplicate. */
  takeEvent(checkpoint: Checkpoint): boolean {
    const key = actorGeneration(checkpoint.actorId, checkpoint.generation);
    const last = this.seen.get(key) ?? -1;
    if (checkpoint.index <= last) return false;
    this.seen.set(key, checkpoint.index);
    return true;
  }

  /** Whether any event of this actor generation arrived. */
  hasEvents(actorId: string, generation: number): boolean {
    return this.seen.has(actorGeneration(actorId, generation));
  }

  nextCommandIndex(actorId: string, generation: number): number {
    const key = actorGeneration(actorId, generation);
    const index = this.commandIndexes.get(key) ?? 0;
    this.commandIndexes.set(key, index + 1);
    return index;
  }

  sent(command: SentCommand): void {
    this.unacked.push(command);
  }

  /** ToServerAckCommands: everything up to each checkpoint is delivered. */
  ack(checkpoints: readonly Checkpoint[]): void {
    this.unacked = this.unacked.filter(
      (command) => !checkpoints.some((c) => c.actorId === command.actorId && c.generation === command.generation && command.index <= c.index),
    );
  }

  pending(): readonly SentCommand[] {
    return this.unacked;
  }

  forget(commands: readonly SentCommand[]): void {
    this.unacked = this.unacked.filter((command) => !commands.includes(command));
  }
}
