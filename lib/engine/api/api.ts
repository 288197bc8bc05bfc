// The engine's API participant (engine.md §2): creates and destroys actors, on commands from a
// scenario step or the live engine's HTTP API. It has no state of its own.
import { actorWorkflowInstance } from "../actor-workflow/actor-workflow";
import { newActorRecord } from "../world";
import { assertNever, type MessageOf } from "../messages";
import { Fx } from "../core/fx";
import { instance, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { API, actorWorkflow } from "../core/refs";
import type { StepView } from "../core/view";

export type ApiCommand = { command: "create"; msg: MessageOf<"CreateActor"> } | { command: "destroy"; msg: MessageOf<"DestroyActor"> };

export type ApiState = null;

export const apiModule: ParticipantModule<ApiState, never, ApiCommand> = {
  role: "API",
  step(state: ApiState, input: Input<never, ApiCommand>, view: StepView): Step<ApiState> {
    const fx = new Fx(view);
    if (input.kind === "command") onCommand(input.command, fx);
    return fx.done(state);
  },
};

function onCommand(command: ApiCommand, fx: Fx): void {
  switch (command.command) {
    case "create": {
      const { msg } = command;
      if (fx.world.actor(msg.actorId)) return;
      fx.world.apply({
        op: "put-actor",
        actor: newActorRecord({ actorId: msg.actorId, name: msg.pool, key: msg.key, pool: msg.pool, crashPolicy: msg.crashPolicy, input: msg.input, createTs: fx.now, state: "Sleeping" }),
      });
      fx.spawn(actorWorkflowInstance(msg.actorId));
      fx.send(actorWorkflow(msg.actorId), msg, { label: `Create actor ${msg.name}` });
      return;
    }
    case "destroy":
      fx.send(actorWorkflow(command.msg.actorId), command.msg, { label: "Destroy actor" });
      return;
    default:
      return assertNever(command);
  }
}

export function apiInstance(): Instance {
  return instance(API, apiModule, null);
}
