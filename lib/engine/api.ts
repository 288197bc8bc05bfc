// The engine's API participant: creates and destroys actors (scenario steps, later the HTTP API).
import type { ParticipantRef } from "../trace/types";
import { ActorWorkflow, newActorRecord } from "./actor-workflow";
import { assertNever, type Message } from "./messages";
import { API, actorWorkflow, type Ctx, type Input, type Participant } from "./participant";

export class Api implements Participant {
  readonly ref: ParticipantRef = API;

  handle(input: Input, ctx: Ctx): void {
    switch (input.kind) {
      case "message":
      case "timer":
        return;
      case "continue":
        return this.onCommand(input.data as Message, ctx);
      default:
        return assertNever(input);
    }
  }

  private onCommand(command: Message, ctx: Ctx): void {
    switch (command.type) {
      case "CreateActor": {
        if (ctx.world.actors.has(command.actorId)) return;
        ctx.world.actors.set(
          command.actorId,
          newActorRecord({ actorId: command.actorId, name: command.pool, key: command.key, pool: command.pool, crashPolicy: command.crashPolicy, input: command.input, createTs: ctx.now, state: "Sleeping" }),
        );
        ctx.spawn(new ActorWorkflow(command.actorId));
        ctx.send(actorWorkflow(command.actorId), command, { label: `Create actor ${command.name}` });
        return;
      }
      case "DestroyActor":
        ctx.send(actorWorkflow(command.actorId), command, { label: "Destroy actor" });
        return;
      default:
        return;
    }
  }
}
