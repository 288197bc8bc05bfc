// The demo actor hosted by the built-in endpoint's runners (engine.md §7): `GET /sleep` answers 200
// and then asks to sleep; any other path answers 200 with the actor's id and generation; an idle
// actor asks to sleep after `sleepTimeoutMs`; WebSocket messages are echoed back.
import type { Runner, RunnerConfig } from "@rivetkit/engine-runner";

export type DemoActorHandlers = Pick<RunnerConfig, "fetch" | "websocket" | "onActorStart" | "onActorStop" | "hibernatableWebSocket">;

interface EventTargetLike {
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void;
  send(data: unknown): void;
}

/** `runner` returns the runner hosting the actors (created after its configuration). */
export function demoActorHandlers(sleepTimeoutMs: number, runner: () => Runner): DemoActorHandlers {
  const idleTimers = new Map<string, ReturnType<typeof setTimeout>>();

  const armIdle = (actorId: string, generation: number) => {
    clearTimeout(idleTimers.get(actorId));
    const timer = setTimeout(() => runner().sleepActor(actorId, generation), sleepTimeoutMs);
    timer.unref?.();
    idleTimers.set(actorId, timer);
  };

  return {
    async fetch(host, actorId, _gatewayId, _requestId, request) {
      const generation = host.getActor(actorId)?.generation ?? 0;
      const path = new URL(request.url).pathname;
      if (path === "/sleep") {
        clearTimeout(idleTimers.get(actorId));
        // Ask to sleep once the answer is on its way, so the stop never overtakes it.
        setImmediate(() => host.sleepActor(actorId, generation));
      } else {
        armIdle(actorId, generation);
      }
      return Response.json({ actorId, generation, path, sleeping: path === "/sleep" });
    },
    async websocket(_host, _actorId, ws) {
      const socket = ws as EventTargetLike;
      socket.addEventListener("message", (event) => socket.send(event.data));
    },
    hibernatableWebSocket: { canHibernate: () => false },
    async onActorStart(actorId, generation) {
      armIdle(actorId, generation);
    },
    async onActorStop(actorId) {
      clearTimeout(idleTimers.get(actorId));
      idleTimers.delete(actorId);
    },
  };
}
