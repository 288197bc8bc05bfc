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

/** The newest generation of one actor on this runner and its last event index. */
interface ActorProgress {
  generation: number;
  lastEvent: number;
}

export class RunnerKeyState {
  /** Connections that sent a valid init (the first is 1). */
  connections = 0;
  /**
   * One entry per actor, for its newest generation only: a generation starts after the previous
   * one stopped, so anything of an older one is a re-send. This keeps the state as large as the
   * number of actors, not of their wake/sleep cycles.
   */
  private readonly progress = new Map<string, ActorProgress>();
  private unacked: SentCommand[] = [];

  private progressOf(actorId: string, generation: number): ActorProgress | null {
    const known = this.progress.get(actorId);
    if (known && known.generation > generation) return null;
    if (known && known.generation === generation) return known;
    const fresh: ActorProgress = { generation, lastEvent: -1 };
    this.progress.set(actorId, fresh);
    return fresh;
  }

  /** True the first time an event checkpoint is seen; a re-sent event (or an older generation's) is a duplicate. */
  takeEvent(checkpoint: Checkpoint): boolean {
    const progress = this.progressOf(checkpoint.actorId, checkpoint.generation);
    if (!progress || checkpoint.index <= progress.lastEvent) return false;
    progress.lastEvent = checkpoint.index;
    return true;
  }

  /** Whether any event of this actor generation arrived. */
  hasEvents(actorId: string, generation: number): boolean {
    const known = this.progress.get(actorId);
    return known !== undefined && (known.generation > generation || (known.generation === generation && known.lastEvent >= 0));
  }

  /**
   * A command for this generation went out: from now on an older generation's events are re-sends.
   * (Its index is the actor workflow's, which numbers its commands as the real engine does.)
   */
  commandSent(actorId: string, generation: number): void {
    this.progressOf(actorId, generation);
  }

  /** How many actors this runner key remembers (bounded by the actors it hosted, not their cycles). */
  get rememberedActors(): number {
    return this.progress.size;
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
