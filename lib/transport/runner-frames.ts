// One decoded ToServer frame → engine messages injected from the runner to its Runner WS (recorded
// on arrival, with the recorded message they answer as cause). KV requests are served here.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import type { Message } from "../engine/messages";
import { encodeBody, eventLabel, eventMessage, headersToRecord } from "./frames";
import { describeKvRequest } from "./kv-store";
import type { CauseContext } from "./remote-runner";
import type { RunnerConnection } from "./runner-socket";

const NO_CAUSE: CauseContext = { cause: null, phase: null };

export function handleFrame(connection: RunnerConnection, frame: protocol.ToServer): void {
  if (!connection.initSeen && frame.tag !== "ToServerInit") {
    return connection.refuse(1008, "ws.init_required", `the first frame must be ToServerInit, got ${frame.tag}`);
  }
  switch (frame.tag) {
    case "ToServerInit":
      return onInit(connection, frame.val);
    case "ToServerEvents":
      return onEvents(connection, frame.val);
    case "ToServerAckCommands": {
      const checkpoints = frame.val.lastCommandCheckpoints.map((c) => ({ actorId: c.actorId, generation: c.generation, index: Number(c.index) }));
      connection.state.ack(checkpoints);
      return inject(connection, { type: "ToServerAckCommands", lastCommandCheckpoints: checkpoints }, "ToServerAckCommands");
    }
    case "ToServerStopping":
      return inject(connection, { type: "ToServerStopping" }, "ToServerStopping");
    case "ToServerPong":
      return inject(connection, { type: "ToServerPong", ts: Number(frame.val.ts) }, "ToServerPong", connection.remote.pingCause);
    case "ToServerKvRequest":
      return onKvRequest(connection, frame.val);
    case "ToServerTunnelMessage":
      return onTunnel(connection, frame.val);
  }
}

function inject(connection: RunnerConnection, msg: Message, label: string, context: CauseContext = NO_CAUSE): void {
  const { runtime, driver } = connection.host;
  driver.input(() => runtime.inject(connection.remote.ref, connection.rws, msg, label, context));
}

function onInit(connection: RunnerConnection, init: protocol.ToServerInit): void {
  if (connection.initSeen) {
    return inject(connection, { type: "ToServerInit", name: init.name, version: init.version, totalSlots: init.totalSlots, runnerKey: connection.runnerKey, connId: connection.rws.id }, "Repeated ToServerInit");
  }
  if (init.name.trim() === "") return connection.refuse(1008, "ws.invalid_init", "ToServerInit has an empty runner name");
  connection.initSeen = true;
  const firstConnection = connection.state.connections === 0;
  connection.state.connections += 1;
  const { host } = connection;
  host.driver.input(() => {
    const context = firstConnection ? (host.claimServerlessStart(init.name, connection.remote.ref) ?? NO_CAUSE) : NO_CAUSE;
    host.runtime.inject(
      connection.remote.ref,
      connection.rws,
      { type: "ToServerInit", name: init.name, version: init.version, totalSlots: init.totalSlots, runnerKey: connection.runnerKey, connId: connection.rws.id },
      `Connect<br/>(ToServerInit ${init.name})`,
      context,
    );
  });
}

function onEvents(connection: RunnerConnection, events: protocol.ToServerEvents): void {
  const { host, remote, state } = connection;
  let duplicates = 0;
  host.driver.input(() => {
    for (const wrapper of events) {
      const msg = eventMessage(wrapper);
      if (!state.takeEvent(msg.checkpoint)) {
        duplicates += 1;
        continue;
      }
      const { actorId, generation } = msg.checkpoint;
      let context: CauseContext = NO_CAUSE;
      if (msg.type === "EventActorStateUpdate") {
        context = remote.causeOfEvent(actorId, generation);
        // The runner drops an actor's requests when it stops, without telling the engine.
        if (msg.update.state === "Stopped") host.tunnels.dropHttp(actorId);
      } else if (msg.type === "EventActorIntent") {
        const request = host.tunnels.httpInFlight(actorId);
        if (request) context = { cause: request.cause, phase: request.phase };
      }
      host.runtime.inject(remote.ref, connection.rws, msg, eventLabel(msg), context);
    }
    if (duplicates > 0) {
      host.runtime.note(connection.rws, "duplicate-events", `Ignored ${duplicates} re-sent event(s)`, { housekeeping: true, payload: { duplicates } });
    }
  });
}

function onKvRequest(connection: RunnerConnection, request: protocol.ToServerKvRequest): void {
  const { host, remote } = connection;
  const op = describeKvRequest(request.data);
  inject(connection, { type: "ToServerKvRequest", actorId: request.actorId, requestId: request.requestId, op }, `ToServerKvRequest ${op}`);
  const answer: Promise<protocol.KvResponseData> = host.runtime.world.actors.has(request.actorId)
    ? host.kv.serve(request.actorId, request.data)
    : Promise.resolve({ tag: "KvErrorResponse", val: { message: `actor ${request.actorId} not found` } });
  void answer.then((data) => {
    if (connection.isClosed) return;
    remote.kvAnswers.set(request.requestId, data);
    const ok = data.tag !== "KvErrorResponse";
    host.driver.input(() =>
      host.runtime.inject(connection.rws, remote.ref, { type: "ToClientKvResponse", requestId: request.requestId, ok }, ok ? "ToClientKvResponse" : `ToClientKvResponse error: ${data.val.message}`),
    );
  });
}

function onTunnel(connection: RunnerConnection, message: protocol.ToServerTunnelMessage): void {
  const { host } = connection;
  const entry = host.tunnels.forKey(message.messageId.requestId);
  const kind = message.messageKind;
  if (!entry) {
    host.driver.input(() =>
      host.runtime.note(connection.rws, "unknown-tunnel-request", `${kind.tag} for an unknown request`, { housekeeping: true, payload: { tag: kind.tag } }),
    );
    return;
  }
  const context: CauseContext = { cause: entry.cause, phase: entry.phase };
  const requestId = entry.engineRequestId;
  switch (kind.tag) {
    case "ToServerResponseStart": {
      host.tunnels.close(entry);
      const { status, headers, body } = kind.val;
      return inject(connection, { type: "ToServerResponseStart", requestId, status, headers: headersToRecord(headers), ...encodeBody(body) }, `ToServerResponseStart ${status}`, context);
    }
    case "ToServerResponseAbort":
      host.tunnels.close(entry);
      return inject(
        connection,
        { type: "ToServerResponseStart", requestId, status: 502, headers: { "x-rivet-error": "runner.response_aborted" }, body: null },
        "ToServerResponseAbort",
        context,
      );
    case "ToServerResponseChunk":
      // Runner 2.2.1 never streams responses; a chunk is recorded and otherwise ignored.
      host.driver.input(() => host.runtime.note(connection.rws, "unsupported-chunk", "ToServerResponseChunk ignored<br/>(streamed responses are not supported)", { payload: { bytes: kind.val.body.byteLength } }));
      return;
    case "ToServerWebSocketOpen":
      return inject(connection, { type: "ToServerWebSocketOpen", requestId, canHibernate: kind.val.canHibernate }, "ToServerWebSocketOpen", context);
    case "ToServerWebSocketMessage": {
      const { body } = encodeBody(kind.val.binary ? null : kind.val.data);
      const data = kind.val.binary ? Buffer.from(kind.val.data).toString("base64") : (body ?? "");
      return inject(connection, { type: "ToServerWebSocketMessage", requestId, data, binary: kind.val.binary }, "ToServerWebSocketMessage", context);
    }
    case "ToServerWebSocketMessageAck":
      // Only hibernating sockets use acks; nothing to do.
      return;
    case "ToServerWebSocketClose":
      host.tunnels.close(entry);
      return inject(connection, { type: "ToServerWebSocketClose", requestId, code: kind.val.code, reason: kind.val.reason }, `ToServerWebSocketClose ${kind.val.code ?? ""}`.trim(), context);
  }
}
