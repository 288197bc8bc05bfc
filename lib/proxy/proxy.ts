// The recording proxy: one HTTP server that users, runners, envoys and rivetkit clients use in
// place of the engine's address. Everything is forwarded unchanged to the engine; a copy of each
// hop is decoded and recorded. Serverless runner configs PUT through the proxy get their `url`
// pointed at the proxy, so the engine's calls to the serverless endpoint (`GET/POST …/start`,
// `GET …/metadata`) pass through it too and are forwarded to the real endpoint.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { forwardHttp, forwardUpgrade, forwardableHeaders, readBody, setHeader, upstreamFor, type Upstream } from "./forward";
import { decodeServerlessInitData, decodeStartBody, loadCodecs, type Protocol } from "./protocols";
import { classify, header, joinTarget, queryParam, serverlessProxyUrl, splitQuery, type Route } from "./routes";
import { SocketTap } from "./socket-tap";
import { WireState, checkpointKey, noteWireState, queueForRelay, type GatewayRequest, type ServerlessStart } from "./state";
import { API, GATEWAY, WireTrace, bodyPayload, endpointOf, serverlessPool, shortId, user, type EventSink } from "./trace";
import { WsFrameReader } from "./ws-frames";
import { SseReader } from "./sse";

export interface RecordingProxyOptions {
  /** The real engine (gateway + API), e.g. http://127.0.0.1:6420. */
  engineUrl: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  sink: EventSink;
  /** Epoch ms of the run's time 0. */
  startEpochMs: number;
  /** The origin the engine and runners should use for the proxy (default http://host:port). */
  publicUrl?: string;
  /** Point serverless runner configs PUT through the proxy at the proxy (default true). */
  rewriteServerless?: boolean;
  /** Hand serverless runners the proxy as their engine (`x-rivet-endpoint`, default true). */
  rewriteEndpoint?: boolean;
}

export interface RewrittenConfig {
  name: string;
  namespace: string;
  /** The body as the client sent it (with the real URLs). */
  original: unknown;
  urls: { original: string; proxied: string }[];
}

export interface RecordingProxy {
  readonly url: string;
  readonly trace: WireTrace;
  readonly state: WireState;
  readonly rewrittenConfigs: RewrittenConfig[];
  /** Stops forwarding: the server and every open connection close. */
  close(): Promise<void>;
  /** PUTs the runner configs it rewrote back with their real URLs (if the engine still has ours). */
  restoreRunnerConfigs(): Promise<void>;
}

export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  await loadCodecs();
  const engine = upstreamFor(options.engineUrl);
  const endpoints = new Map<string, Upstream>();
  const endpointUpstream = (target: string) => {
    const origin = new URL(target).origin;
    let upstream = endpoints.get(origin);
    if (!upstream) endpoints.set(origin, (upstream = upstreamFor(origin)));
    return upstream;
  };
  const trace = new WireTrace(options.sink, options.startEpochMs);
  const state = new WireState();
  const rewrittenConfigs: RewrittenConfig[] = [];
  const sockets = new Set<Socket | Duplex>();
  let publicUrl = options.publicUrl ?? "";
  const rewriteServerless = options.rewriteServerless ?? true;
  const rewriteEndpoint = options.rewriteEndpoint ?? true;

  const server = http.createServer((req, res) => {
    try {
      onRequest(req, res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ group: "wakeline", code: "proxy_error", message: err instanceof Error ? err.message : String(err) }));
    }
  });
  server.keepAliveTimeout = 65_000;
  server.on("connection", (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    try {
      onUpgrade(req, socket, head);
    } catch {
      socket.destroy();
    }
  });

  function clientOf(req: IncomingMessage) {
    return user(`${req.socket.remoteAddress ?? "client"}:${req.socket.remotePort ?? 0}`);
  }

  /** Headers for the engine: as sent, with Host naming the engine (as any reverse proxy does). */
  function engineHeaders(req: IncomingMessage): string[] {
    return setHeader(forwardableHeaders(req.rawHeaders), "host", engine.url.host);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse) {
    const route = classify(req.url ?? "/", req.headers);
    switch (route.kind) {
      case "gateway":
        return onGatewayHttp(req, res, route);
      case "serverless":
        return void onServerless(req, res, route).catch((err) => fail(res, err));
      case "runner-connect":
      case "envoy-connect":
      case "api":
        return void onApi(req, res).catch((err) => fail(res, err));
    }
  }

  function fail(res: ServerResponse, err: unknown) {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ group: "wakeline", code: "proxy_error", message: err instanceof Error ? err.message : String(err) }));
  }

  // MARK: gateway (User ↔ Gateway)

  function onGatewayHttp(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { kind: "gateway" }>) {
    const from = clientOf(req);
    const method = req.method ?? "GET";
    const request: GatewayRequest = {
      seq: trace.emit({
        from,
        to: GATEWAY,
        type: "UserRequest",
        label: `${method} ${displayPath(route.actorPath)}<br/>(request to actor)`,
        actorId: route.actorId,
        payload: { method, url: req.url, actorPath: route.actorPath, headers: req.headers },
      }),
      user: from,
      actorId: route.actorId,
      method,
      actorPath: route.actorPath,
      websocket: false,
      tunnel: null,
      answered: false,
      userMessages: [],
      runnerMessages: [],
    };
    if (route.actorId) state.actors.add(route.actorId);
    state.gatewayRequests.push(request);
    const requestBody = new Capture();
    const responseBody = new Capture();
    let status = 0;
    let responseHeaders: Record<string, string | string[] | undefined> = {};
    let answered = false;
    const answer = (aborted: boolean) => {
      if (answered) return;
      answered = true;
      request.answered = true;
      emitGatewayAnswer(request, status, responseHeaders, responseBody, requestBody, aborted);
      state.forget(request);
    };
    forwardHttp(req, res, {
      upstream: engine,
      headers: engineHeaders(req),
      taps: {
        onRequestData: (chunk) => requestBody.add(chunk),
        onResponse: (response) => {
          status = response.statusCode ?? 0;
          responseHeaders = response.headers;
          // Success is recorded at once (the body may stream for long); errors once their body is in.
          if (status < 400) answer(false);
        },
        onResponseData: (chunk) => responseBody.add(chunk),
        onResponseEnd: (aborted) => answer(aborted),
        onError: (err) => {
          status = 502;
          responseBody.add(Buffer.from(err.message));
          answer(true);
        },
      },
    });
  }

  function emitGatewayAnswer(request: GatewayRequest, status: number, headers: Record<string, string | string[] | undefined>, body: Capture, requestBody: Capture, aborted: boolean) {
    const relay = request.tunnel?.answerSeq ?? null;
    const code = errorCode(headers, status >= 400 ? body.text() : null);
    const fromEngine = status >= 400 && relay === null;
    const type = fromEngine ? "UserError" : "UserResponse";
    const label = fromEngine ? `${status}${code ? ` ${code}` : ""}` : `${status}`;
    trace.emit({
      from: GATEWAY,
      to: request.user,
      type,
      label,
      actorId: request.actorId ?? request.tunnel?.actorId ?? null,
      runnerId: request.tunnel?.connection.runnerId ?? null,
      cause: relay ?? request.seq,
      relayOf: relay,
      payload: { status, code, headers, ...body.payload(), requestSeq: request.seq, requestBody: requestBody.size > 0 ? requestBody.payload() : undefined, aborted: aborted || undefined, rayId: header(headers, "x-rivet-ray-id") },
    });
  }

  // MARK: engine API

  async function onApi(req: IncomingMessage, res: ServerResponse) {
    const from = clientOf(req);
    const method = req.method ?? "GET";
    const [path] = splitQuery(req.url ?? "/");
    const quiet = method === "GET" || method === "HEAD" || method === "OPTIONS";
    const configName = /^\/runner-configs\/([^/]+)$/.exec(path)?.[1];
    let body: Buffer | undefined;
    let rewritten: RewrittenConfig | null = null;
    if (method === "PUT" && configName && configName !== "serverless-health-check") {
      body = await readBody(req);
      const result = rewriteServerless ? rewriteRunnerConfig(decodeURIComponent(configName), queryParam(req.url ?? "", "namespace") ?? "default", body) : null;
      if (result) {
        rewritten = result.config;
        body = result.body;
      }
      state.pools.add(decodeURIComponent(configName));
    }
    const requestSeq = trace.emit({
      from,
      to: API,
      type: "ApiRequest",
      label: `${method} ${path}`,
      housekeeping: quiet,
      payload: { method, url: req.url, headers: req.headers, ...(body ? bodyPayload(body) : {}), rewrittenServerlessUrls: rewritten?.urls },
    });
    const responseBody = new Capture();
    let status = 0;
    let responseHeaders: Record<string, string | string[] | undefined> = {};
    const proxiedUrls = () => rewrittenConfigs.flatMap((c) => c.urls);
    forwardHttp(req, res, {
      upstream: engine,
      headers: engineHeaders(req),
      body,
      rewriteResponse: path.startsWith("/runner-configs") && method === "GET" && proxiedUrls().length > 0 ? (text) => restoreUrls(text, proxiedUrls()) : undefined,
      taps: {
        onResponse: (response) => {
          status = response.statusCode ?? 0;
          responseHeaders = response.headers;
        },
        onResponseData: (chunk) => responseBody.add(chunk),
        onResponseEnd: () => {
          const actorId = actorIdIn(responseBody.text());
          if (actorId) state.actors.add(actorId);
          trace.emit({
            from: API,
            to: from,
            type: "ApiResponse",
            label: `${status}${status >= 400 ? ` ${errorCode(responseHeaders, responseBody.text()) ?? ""}`.trimEnd() : ""}`,
            housekeeping: quiet && status < 400,
            actorId: method === "GET" ? null : actorId,
            cause: requestSeq,
            payload: { status, headers: responseHeaders, ...responseBody.payload(), requestSeq },
          });
        },
        onError: (err) => {
          trace.emit({ from: API, to: from, type: "ApiResponse", label: "502 engine unreachable", cause: requestSeq, payload: { status: 502, error: err.message, requestSeq } });
        },
      },
    });
  }

  /** Points every serverless `url` of a runner config at the proxy; null when there is none. */
  function rewriteRunnerConfig(name: string, namespace: string, body: Buffer): { body: Buffer; config: RewrittenConfig } | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return null;
    }
    const datacenters = (parsed as { datacenters?: Record<string, { serverless?: { url?: unknown } }> })?.datacenters;
    if (!datacenters || typeof datacenters !== "object") return null;
    const copy = structuredClone(parsed) as { datacenters: Record<string, { serverless?: { url?: unknown } }> };
    const urls: RewrittenConfig["urls"] = [];
    for (const dc of Object.values(copy.datacenters)) {
      const url = dc?.serverless?.url;
      if (typeof url !== "string" || url.startsWith(`${publicUrl}/_serverless/`)) continue;
      const proxied = serverlessProxyUrl(publicUrl, url);
      dc.serverless!.url = proxied;
      urls.push({ original: url, proxied });
    }
    if (urls.length === 0) return null;
    const config: RewrittenConfig = { name, namespace, original: parsed, urls };
    const existing = rewrittenConfigs.findIndex((c) => c.name === name && c.namespace === namespace);
    if (existing >= 0) rewrittenConfigs.splice(existing, 1, config);
    else rewrittenConfigs.push(config);
    return { body: Buffer.from(JSON.stringify(copy)), config };
  }

  // MARK: serverless endpoint (Serverless → Serverless Endpoint)

  async function onServerless(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { kind: "serverless" }>) {
    const method = req.method ?? "GET";
    const pool =
      header(req.headers, "x-rivet-runner-name") ??
      header(req.headers, "x-rivet-pool-name") ??
      rewrittenConfigs.find((c) => c.urls.some((u) => u.original === route.target))?.name ??
      poolOfTarget(route.target) ??
      "serverless";
    state.pools.add(pool);
    const targetUrl = new URL(joinTarget(route.target, route.rest));
    const upstream = endpointUpstream(route.target);
    const [restPath] = splitQuery(route.rest);
    let headers = setHeader(forwardableHeaders(req.rawHeaders), "host", targetUrl.host);
    const engineEndpoint = header(req.headers, "x-rivet-endpoint");
    if (rewriteEndpoint && engineEndpoint !== null) headers = setHeader(headers, "x-rivet-endpoint", `${publicUrl}/`);
    const isStart = restPath.replace(/\/$/, "") === "/start";
    const body = method === "POST" ? await readBody(req) : undefined;
    const decoded = body && isStart ? decodeStartBody(new Uint8Array(body)) : null;
    const startCommand = decoded?.commands.find((c) => c.kind === "start") ?? null;
    const actorId = startCommand?.checkpoint.actorId ?? null;
    if (actorId) state.actors.add(actorId);
    const label = isStart ? `${method} /start${startCommand ? `<br/>StartActor ${shortId(actorId!)}` : ""}` : `${method} ${restPath}`;
    const seq = trace.emit({
      from: serverlessPool(pool),
      to: endpointOf(pool),
      type: isStart ? "StartRequest" : "EndpointRequest",
      label,
      actorId,
      housekeeping: !isStart,
      payload: {
        method,
        url: targetUrl.toString(),
        headers: req.headers,
        engineEndpoint,
        forwardedEndpoint: rewriteEndpoint && engineEndpoint !== null ? `${publicUrl}/` : engineEndpoint,
        protocolVersion: decoded?.version ?? null,
        commands: decoded?.commands,
        ...(body ? { bytes: body.length } : {}),
      },
    });
    const start: ServerlessStart | null = isStart
      ? { seq, pool, protocolVersion: decoded?.version ?? null, runnerId: null, actorId, generation: startCommand?.checkpoint.generation ?? null, checkpointKey: startCommand ? checkpointKey(startCommand.checkpoint) : null, relationSeq: null }
      : null;
    if (start) {
      // A gen-3 start carries a new generation of its actor: what the older ones left goes.
      if (startCommand) {
        state.releaseGenerations(startCommand.checkpoint.actorId, startCommand.checkpoint.generation);
        state.rememberGeneration(startCommand.checkpoint.actorId, startCommand.checkpoint.generation);
      }
      state.starts.push(start);
    }
    if (startCommand) noteWireState(trace, state, endpointOf(pool), { actorId: startCommand.checkpoint.actorId, generation: startCommand.checkpoint.generation, to: "Starting", cause: seq, runnerId: null });
    const fromEndpoint = { from: endpointOf(pool), to: serverlessPool(pool) };
    let status = 0;
    const captured = new Capture();
    const sse = new SseReader();
    forwardHttp(req, res, {
      upstream,
      path: `${targetUrl.pathname}${targetUrl.search}`,
      headers,
      body,
      taps: {
        onResponse: (response) => {
          status = response.statusCode ?? 0;
          if (start && status < 300) trace.emit({ ...fromEndpoint, type: "StartResponse", label: `${status} ${response.headers["content-type"] ?? ""}`.trim(), cause: seq, housekeeping: true, payload: { status, headers: response.headers } });
        },
        onResponseData: (chunk) => {
          if (!start || status >= 300) return void captured.add(chunk);
          for (const event of sse.push(chunk)) onStartEvent(start, event);
        },
        onResponseEnd: (aborted) => {
          if (start && status < 300) {
            trace.emit({ ...fromEndpoint, type: "StartStreamClosed", label: aborted ? "/start stream aborted" : "/start stream closed", cause: seq, housekeeping: true, actorId: start.actorId, runnerId: start.runnerId, payload: { aborted } });
            state.releaseStart(start);
          } else if (start) {
            trace.emit({ ...fromEndpoint, type: "StartFailed", label: `${method} /start failed ${status}`, cause: seq, actorId: start.actorId, payload: { status, ...captured.payload() } });
            state.releaseStart(start);
          } else {
            trace.emit({ ...fromEndpoint, type: "EndpointResponse", label: `${status}`, cause: seq, housekeeping: true, payload: { status, ...captured.payload() } });
          }
        },
        onError: (err) => {
          trace.emit({ ...fromEndpoint, type: start ? "StartFailed" : "EndpointResponse", label: `${method} ${restPath} failed: endpoint unreachable`, cause: seq, payload: { status: 502, error: err.message } });
          if (start) state.releaseStart(start);
        },
      },
    });
  }

  function onStartEvent(start: ServerlessStart, event: { event: string; data: string }) {
    const fromEndpoint = { from: endpointOf(start.pool), to: serverlessPool(start.pool) };
    if (event.event === "message" && start.runnerId === null && event.data.trim() !== "") {
      const init = decodeServerlessInitData(event.data);
      if (!init) {
        trace.emit({ ...fromEndpoint, type: "StartEvent", label: "SSE message", cause: start.seq, housekeeping: true, payload: { data: event.data.slice(0, 200) } });
        return;
      }
      start.runnerId = init.runnerId;
      const initSeq = trace.emit({ ...fromEndpoint, type: "ToServerlessServerInit", label: `ToServerlessServerInit ${init.runnerId}`, cause: start.seq, runnerId: init.runnerId, housekeeping: true, payload: init });
      const connection = state.byRunnerId.get(init.runnerId);
      start.relationSeq = trace.emit({
        kind: "relation",
        from: endpointOf(start.pool),
        to: connection?.runner ?? { role: "Runner", id: init.runnerId },
        type: "SameProcess",
        label: "Same process",
        runnerId: init.runnerId,
        cause: start.seq,
        payload: { startSeq: start.seq, initSeq, runnerId: init.runnerId, connectSeq: connection?.connectSeq ?? null },
      });
      return;
    }
    if (event.event === "ping") {
      trace.emit({ ...fromEndpoint, type: "EndpointPing", label: "ping", housekeeping: true, actorId: start.actorId, runnerId: start.runnerId, payload: { startSeq: start.seq } });
      return;
    }
    trace.emit({ ...fromEndpoint, type: "StartEvent", label: event.event === "stopping" ? "stopping" : `SSE ${event.event}`, cause: start.seq, actorId: start.actorId, runnerId: start.runnerId, payload: { event: event.event, data: event.data.slice(0, 200) } });
  }

  // MARK: WebSockets

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const route = classify(req.url ?? "/", req.headers);
    const headers = setHeader([...req.rawHeaders], "host", engine.url.host);
    if (route.kind === "runner-connect" || route.kind === "envoy-connect") return onRunnerSocket(req, socket, head, headers, route.kind === "runner-connect" ? "runner" : "envoy");
    if (route.kind === "gateway") return onGatewaySocket(req, socket, head, headers, route);
    // Any other upgrade is passed through unrecorded.
    forwardUpgrade(req, socket, head, engine, {}, headers);
  }

  function onRunnerSocket(req: IncomingMessage, socket: Duplex, head: Buffer, headers: string[], protocol: Protocol) {
    const url = req.url ?? "/";
    const key = queryParam(url, protocol === "runner" ? "runner_key" : "envoy_key") ?? `${protocol}-${state.nextSocketNumber()}`;
    const tap = new SocketTap(trace, state, { protocol, key, name: queryParam(url, "pool_name"), namespace: queryParam(url, "namespace"), url });
    const up = new WsFrameReader();
    const down = new WsFrameReader();
    forwardUpgrade(req, socket, head, engine, {
      onResponse: (status, headers) => {
        if (status !== 101) {
          trace.note(tap.connection.socket, "connect-refused", `Connection refused ${status}`, { payload: { status, headers, url } });
        }
      },
      onClientData: (chunk) => safely(() => up.push(chunk).forEach((m) => tap.up(m))),
      onUpstreamData: (chunk) => safely(() => down.push(chunk).forEach((m) => tap.down(m))),
      onClose: () => tap.ended(),
    }, headers);
  }

  function onGatewaySocket(req: IncomingMessage, socket: Duplex, head: Buffer, headers: string[], route: Extract<Route, { kind: "gateway" }>) {
    const from = clientOf(req);
    const protocols = header(req.headers, "sec-websocket-protocol");
    const request: GatewayRequest = {
      seq: trace.emit({
        from,
        to: GATEWAY,
        type: "UserWebSocketOpen",
        label: `WebSocket ${displayPath(route.actorPath)}<br/>(request to actor)`,
        actorId: route.actorId,
        payload: { url: req.url, actorPath: route.actorPath, headers: req.headers, protocols },
      }),
      user: from,
      actorId: route.actorId,
      method: "GET",
      actorPath: route.actorPath,
      websocket: true,
      tunnel: null,
      answered: false,
      userMessages: [],
      runnerMessages: [],
    };
    state.gatewayRequests.push(request);
    const up = new WsFrameReader();
    const down = new WsFrameReader();
    const actorOf = () => request.actorId ?? request.tunnel?.actorId ?? null;
    forwardUpgrade(req, socket, head, engine, {
      onResponse: (status, headers) => {
        request.answered = true;
        const relay = request.tunnel?.answerSeq ?? null;
        trace.emit({
          from: GATEWAY,
          to: from,
          type: status === 101 ? "UserWebSocketOpened" : "UserError",
          label: status === 101 ? "101 WebSocket open" : `${status}${headers["x-rivet-error"] ? ` ${headers["x-rivet-error"]}` : ""}`,
          actorId: actorOf(),
          cause: relay ?? request.seq,
          relayOf: relay,
          payload: { status, headers, protocol: headers["sec-websocket-protocol"] ?? null, requestSeq: request.seq },
        });
        // An open socket waits for its tunnel (the runner socket's tap takes it then), or its end.
        if (status !== 101 || request.tunnel !== null) state.forget(request);
      },
      onClose: () => state.forget(request),
      // Each user message is paired with the tunnel frame that carries it to the runner (the
      // runner socket's tap takes it from `userMessages`), and each message to the user with the
      // runner's frame it relays, in order: the gateway keeps a socket's messages in order.
      onClientData: (chunk) =>
        safely(() => {
          for (const m of up.push(chunk)) {
            if (m.kind === "ping" || m.kind === "pong") continue;
            const seq = trace.emit({ from, to: GATEWAY, type: m.kind === "close" ? "UserWebSocketClose" : "UserWebSocketMessage", label: m.kind === "close" ? `WebSocket close ${m.code ?? ""}`.trim() : `WebSocket ${m.kind} message`, actorId: actorOf(), cause: request.seq, payload: m.kind === "close" ? { code: m.code, reason: m.reason } : { kind: m.kind, ...bodyPayload(m.data) } });
            if (m.kind !== "close") queueForRelay(request.userMessages, seq);
          }
        }),
      onUpstreamData: (chunk) =>
        safely(() => {
          for (const m of down.push(chunk)) {
            if (m.kind === "ping" || m.kind === "pong") continue;
            const relay = m.kind === "close" ? null : (request.runnerMessages.shift() ?? null);
            trace.emit({ from: GATEWAY, to: from, type: m.kind === "close" ? "UserWebSocketClose" : "UserWebSocketMessage", label: m.kind === "close" ? `WebSocket close ${m.code ?? ""}`.trim() : `WebSocket ${m.kind} message`, actorId: actorOf(), cause: relay ?? request.seq, relayOf: relay, payload: m.kind === "close" ? { code: m.code, reason: m.reason } : { kind: m.kind, ...bodyPayload(m.data) } });
          }
        }),
    }, headers);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const listenHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${listenHost}:${address.port}`;
  if (!publicUrl) publicUrl = url;

  return {
    url: publicUrl,
    trace,
    state,
    rewrittenConfigs,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      for (const upstream of endpoints.values()) upstream.agent.destroy();
    },
    async restoreRunnerConfigs() {
      await restoreRunnerConfigs(engine, rewrittenConfigs);
      engine.agent.destroy();
    },
  };
}

/** PUTs a rewritten config back as the client sent it, if the engine still has the proxy URL. */
async function restoreRunnerConfigs(engine: Upstream, configs: readonly RewrittenConfig[]): Promise<void> {
  for (const config of configs) {
    const base = engine.url.toString().replace(/\/$/, "");
    const query = `namespace=${encodeURIComponent(config.namespace)}`;
    const current = await fetch(`${base}/runner-configs?${query}&runner_name=${encodeURIComponent(config.name)}`).then((r) => (r.ok ? r.text() : ""));
    if (!config.urls.some((u) => current.includes(u.proxied))) continue;
    await fetch(`${base}/runner-configs/${encodeURIComponent(config.name)}?${query}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(config.original),
    });
  }
}

function restoreUrls(body: Buffer, urls: readonly { original: string; proxied: string }[]): Buffer {
  let text = body.toString("utf8");
  for (const { original, proxied } of urls) text = text.split(JSON.stringify(proxied).slice(1, -1)).join(JSON.stringify(original).slice(1, -1));
  return Buffer.from(text, "utf8");
}

/** A path for a label: the query-addressed actor's `rvt-*` parameters stay in the payload. */
function displayPath(path: string): string {
  const [base, query = ""] = path.split("?");
  const kept = query.split("&").filter((part) => part !== "" && !part.startsWith("rvt-"));
  return kept.length > 0 ? `${base}?${kept.join("&")}` : base;
}

function poolOfTarget(target: string): string | null {
  try {
    return new URL(target).host;
  } catch {
    return null;
  }
}

/** The engine's error as `group.code`, from `x-rivet-error` or a JSON `{group, code}` body. */
function errorCode(headers: Record<string, string | string[] | undefined>, body: string | null): string | null {
  const fromHeader = header(headers, "x-rivet-error");
  if (fromHeader) return fromHeader;
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { group?: unknown; code?: unknown };
    if (typeof parsed.code === "string") return typeof parsed.group === "string" ? `${parsed.group}.${parsed.code}` : parsed.code;
  } catch {
    // not JSON
  }
  return null;
}

function actorIdIn(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { actor?: { actor_id?: unknown }; actors?: { actor_id?: unknown }[] };
    const id = parsed.actor?.actor_id ?? (parsed.actors?.length === 1 ? parsed.actors[0].actor_id : undefined);
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

function safely(work: () => void): void {
  try {
    work();
  } catch {
    // A frame the tap cannot read must never disturb the forwarding.
  }
}

/** The first few KiB of a body, for the trace. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  size = 0;

  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.kept >= 4096) return;
    const part = chunk.subarray(0, 4096 - this.kept);
    this.chunks.push(part);
    this.kept += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }

  payload() {
    return bodyPayload(Buffer.concat(this.chunks), this.size);
  }
}
