// A runner spoken with raw protocol v7 frames, so a test controls exactly what it sends, answers
// and acknowledges (pings are answered; nothing else is).
import { WebSocket } from "ws";
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { codec } from "@/lib/transport/codec";

export interface RawRunner {
  ws: WebSocket;
  frames: protocol.ToClient[];
  send(frame: protocol.ToServer): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Connects; settles once the socket is open (or fails with the upgrade's refusal). */
export function rawRunner(engineUrl: string, runnerKey: string, options: { token?: string } = {}): Promise<RawRunner> {
  return new Promise((resolve, reject) => {
    const protocols = ["rivet", ...(options.token ? [`rivet_token.${options.token}`] : [])];
    const ws = new WebSocket(`${engineUrl.replace("http", "ws")}/runners/connect?protocol_version=7&namespace=default&runner_key=${runnerKey}`, protocols);
    const frames: protocol.ToClient[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on("close", (code, reason) => done({ code, reason: reason.toString() })));
    ws.on("message", (data) => {
      const frame = codec().decodeToClient(new Uint8Array(data as Buffer));
      frames.push(frame);
      if (frame.tag === "ToClientPing") ws.send(codec().encodeToServer({ tag: "ToServerPong", val: { ts: frame.val.ts } }));
    });
    ws.once("open", () => resolve({ ws, frames, closed, send: (frame) => ws.send(codec().encodeToServer(frame)) }));
    ws.once("error", reject);
  });
}

/** Connected and initialised: settles once ToClientInit arrived. */
export async function initialisedRawRunner(engineUrl: string, runnerKey: string, name = "raw-runner", totalSlots = 1): Promise<RawRunner> {
  const runner = await rawRunner(engineUrl, runnerKey);
  runner.send(initFrame(name, 1, totalSlots));
  await new Promise<void>((resolve, reject) => {
    const check = () => (initOf(runner) ? resolve() : undefined);
    runner.ws.on("message", check);
    runner.ws.once("close", (code) => reject(new Error(`closed ${code} before ToClientInit`)));
    check();
  });
  return runner;
}

export function initFrame(name: string, version = 1, totalSlots = 2): protocol.ToServer {
  return { tag: "ToServerInit", val: { name, version, totalSlots, prepopulateActorNames: null, metadata: null } };
}

export const initOf = (runner: RawRunner) => runner.frames.find((f) => f.tag === "ToClientInit")?.val as protocol.ToClientInit | undefined;

export const startsOf = (runner: RawRunner) =>
  runner.frames.flatMap((f) => (f.tag === "ToClientCommands" ? f.val.filter((c) => c.inner.tag === "CommandStartActor") : []));

export function runningEvent(actorId: string, generation: number, index: bigint): protocol.EventWrapper {
  return { checkpoint: { actorId, generation, index }, inner: { tag: "EventActorStateUpdate", val: { state: { tag: "ActorStateRunning", val: null } } } };
}
