// The engine API over HTTP, in the shapes rivetkit clients call (docs/engine-api.md): metadata,
// actors (create, get-or-create, list / get, destroy), runner configs, datacenters. Bodies are
// validated with zod; every error is JSON `{group, code, message}`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { OutboundError } from "../auth/outbound";
import type { OutboundGuard } from "../auth/outbound";
import type { PoolConfig } from "../engine/config";
import type { EngineRuntime } from "../runtime/runtime";
import type { ActorDirectory, ActorIdentity, CreateActorInput } from "./actor-directory";
import { BUILTIN_START_PATH } from "./builtin-endpoint";
import { HttpError, decodeComponent, invalidUrlBody, readBody, requestUrl, sendError, sendJson } from "./http-util";

export const ENGINE_VERSION = "wakeline-0.1.0";
const DATACENTER = "default";
const MAX_API_BODY_BYTES = 1024 * 1024;

const CrashPolicy = z.enum(["sleep", "restart", "destroy"]);
const CreateActorBody = z.object({
  datacenter: z.string().optional(),
  name: z.string().min(1).max(256),
  key: z.string().max(4096).nullable().optional(),
  runner_name_selector: z.string().min(1).max(256),
  crash_policy: CrashPolicy.default("sleep"),
  input: z.base64().nullable().optional(),
});
const GetOrCreateActorBody = CreateActorBody.extend({ key: z.string().max(4096) });
const ServerlessConfig = z.object({
  url: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
  request_lifespan: z.number().int().min(1).max(86_400),
  slots_per_runner: z.number().int().min(1).max(10_000),
  min_runners: z.number().int().min(0).default(0),
  max_runners: z.number().int().min(0).max(10_000),
  runners_margin: z.number().int().min(0).default(0),
  drain_grace_period: z.number().int().min(0).optional(),
  metadata_poll_interval: z.number().optional(),
});
const RunnerConfigBody = z.object({
  datacenters: z
    .record(z.string(), z.object({ serverless: ServerlessConfig.optional(), normal: z.object({}).optional(), metadata: z.unknown().optional() }))
    .refine((dcs) => Object.keys(dcs).length > 0, "at least one datacenter is required"),
});

const notFound = (code: string, message: string) => new HttpError(404, { group: code.split(".")[0], code: code.split(".")[1], message });
const invalid = (message: string, code = "invalid_request") => new HttpError(400, { group: "api", code, message });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw invalid(`${where}${issue?.message ?? "invalid body"}`, "invalid_body");
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req, MAX_API_BODY_BYTES)).toString("utf8");
  if (text.trim() === "") throw invalid("a JSON body is required", "invalid_body");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid("the body is not valid JSON", "invalid_body");
  }
}

/** Paths this API answers (everything else goes to the dashboard). */
export function isEngineApiPath(pathname: string): boolean {
  return (
    pathname === "/metadata" ||
    pathname === "/datacenters" ||
    pathname === "/actors" ||
    pathname.startsWith("/actors/") ||
    pathname === "/runner-configs" ||
    pathname.startsWith("/runner-configs/") ||
    // Only WebSocket upgrades are served there; a plain request is told so (426).
    pathname === RUNNER_CONNECT_PATH ||
    // The built-in endpoint answers GET before this API; any other method is a 405 here.
    pathname === BUILTIN_START_PATH
  );
}

const RUNNER_CONNECT_PATH = "/runners/connect";

/** The methods a path of this API takes (HEAD with GET), or null for a path it does not serve. */
function allowedMethods(path: string): string[] | null {
  if (path === BUILTIN_START_PATH) return ["GET"];
  if (path === "/metadata" || path === "/datacenters" || path === "/runner-configs") return ["GET", "HEAD"];
  if (path === "/actors") return ["GET", "HEAD", "POST", "PUT"];
  // An actor may be called "names": DELETE /actors/names destroys it.
  if (path === "/actors/names") return ["GET", "HEAD", "DELETE"];
  if (/^\/actors\/[^/]+$/.test(path)) return ["DELETE"];
  if (/^\/runner-configs\/[^/]+$/.test(path)) return ["PUT"];
  return null;
}

/** A path segment, decoded; a malformed escape is a 400. */
function segment(raw: string, what: string): string {
  const decoded = decodeComponent(raw);
  if (decoded === null) throw new HttpError(400, invalidUrlBody(`the ${what} in the path has a malformed percent-escape`));
  return decoded;
}

/** What the engine API serves from and acts on: the live engine (lib/services/live-engine.ts). */
export interface EngineApiHost {
  readonly namespace: string;
  readonly directory: ActorDirectory;
  readonly runtime: EngineRuntime;
  readonly outbound?: OutboundGuard;
  createActor(input: CreateActorInput): ActorIdentity;
  destroyActor(actorId: string): void;
  toEpoch(engineMs: number): number;
  upsertPool(name: string, settings: Omit<PoolConfig, "name">): { created: boolean };
  pools(): PoolConfig[];
}

export async function handleEngineApi(session: EngineApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await route(session, req, res);
  } catch (err) {
    if (err instanceof HttpError) return sendError(res, err);
    // The client went away in the middle of its body (or a 408 cut it off): nobody to answer.
    if (req.destroyed || (err as NodeJS.ErrnoException).code === "ECONNRESET" || (err instanceof Error && err.message === "aborted")) return void res.destroy();
    console.error("[wakeline] engine API failed:", err);
    sendError(res, new HttpError(500, { group: "core", code: "internal_error", message: "internal error" }));
  }
}

async function route(session: EngineApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestUrl(req);
  const path = url.pathname;
  // HEAD is answered as GET (Node leaves the body out), except where only GET is served.
  const method = req.method === "HEAD" && path !== BUILTIN_START_PATH ? "GET" : (req.method ?? "GET");
  if (path === RUNNER_CONNECT_PATH) {
    throw new HttpError(426, { group: "runner", code: "upgrade_required", message: `${RUNNER_CONNECT_PATH} takes WebSocket connections only` }, { upgrade: "websocket" });
  }
  const allowed = allowedMethods(path);
  if (allowed && !allowed.includes(method)) {
    throw new HttpError(405, { group: "api", code: "method_not_allowed", message: `${req.method} is not allowed on ${path} (allowed: ${allowed.join(", ")})` }, { allow: allowed.join(", ") });
  }
  const namespace = url.searchParams.get("namespace") ?? session.namespace;
  if (namespace !== session.namespace) throw notFound("namespace.not_found", `no namespace named ${JSON.stringify(namespace)}`);
  const world = session.runtime.view;
  const actorJson = (actorId: string) => session.directory.toJson(session.directory.get(actorId)!, world, (ms) => session.toEpoch(ms));

  if (path === "/metadata" && method === "GET") return sendJson(res, 200, { runtime: "engine", version: ENGINE_VERSION, actorNames: {} });
  if (path === "/datacenters" && method === "GET") return sendJson(res, 200, { datacenters: [{ name: DATACENTER }] });

  if (path === "/actors" && method === "GET") {
    const ids = url.searchParams.get("actor_ids");
    if (ids !== null) {
      const actors = ids.split(",").filter((id) => session.directory.get(id)?.namespace === namespace).map(actorJson);
      return sendJson(res, 200, { actors });
    }
    const name = url.searchParams.get("name");
    if (name === null) throw invalid("give actor_ids, or a name (and optionally a key)", "invalid_query");
    const key = url.searchParams.get("key");
    const actors = session.directory.list(namespace, { name, ...(key !== null ? { key } : {}) }, world).map((a) => actorJson(a.actorId));
    return sendJson(res, 200, { actors });
  }
  if (path === "/actors/names" && method === "GET") return sendJson(res, 200, { names: {} });
  if (path === "/actors" && (method === "POST" || method === "PUT")) {
    const body = method === "POST" ? parse(CreateActorBody, await jsonBody(req)) : parse(GetOrCreateActorBody, await jsonBody(req));
    const key = body.key ?? null;
    if (method === "PUT") {
      const existing = session.directory.findByKey(world, namespace, body.name, key);
      if (existing) return sendJson(res, 200, { actor: actorJson(existing.actorId), created: false });
    } else if (key !== null && session.directory.findByKey(world, namespace, body.name, key)) {
      throw new HttpError(409, { group: "actor", code: "duplicate_key", message: `an actor named ${body.name} with this key exists` });
    }
    const created = session.createActor({ name: body.name, key, runnerNameSelector: body.runner_name_selector, crashPolicy: body.crash_policy, input: body.input ?? null });
    return sendJson(res, 200, method === "PUT" ? { actor: actorJson(created.actorId), created: true } : { actor: actorJson(created.actorId) });
  }
  const actorPath = /^\/actors\/([^/]+)$/.exec(path);
  if (actorPath && method === "DELETE") {
    const actorId = segment(actorPath[1], "actor id");
    const identity = session.directory.get(actorId);
    if (!identity || identity.namespace !== namespace || world.actor(actorId)?.state === "Destroyed") throw notFound("actor.not_found", `no actor with id ${actorId}`);
    session.destroyActor(actorId);
    return sendJson(res, 200, {});
  }

  if (path === "/runner-configs" && method === "GET") {
    const configs = Object.fromEntries(session.pools().map((pool) => [pool.name, { datacenters: { [DATACENTER]: { serverless: poolJson(pool) } } }]));
    return sendJson(res, 200, { runner_configs: configs });
  }
  const configPath = /^\/runner-configs\/([^/]+)$/.exec(path);
  if (configPath && method === "PUT") {
    const name = segment(configPath[1], "runner config name");
    const body = parse(RunnerConfigBody, await jsonBody(req));
    const serverless = Object.values(body.datacenters).find((dc) => dc.serverless)?.serverless;
    if (!serverless) throw invalid("only serverless runner configs are supported", "unsupported_runner_config");
    if (serverless.min_runners > serverless.max_runners) throw invalid("min_runners must not exceed max_runners", "invalid_body");
    // The engine will call this URL: only http(s), never link-local, metadata or (unless allowed) private addresses.
    checkEndpointUrl(session, serverless.url);
    const existing = session.pools().find((pool) => pool.name === name);
    const { created } = session.upsertPool(name, {
      url: serverless.url.replace(/\/$/, ""),
      headers: serverless.headers,
      requestLifespan: serverless.request_lifespan,
      slotsPerRunner: serverless.slots_per_runner,
      minRunners: serverless.min_runners,
      maxRunners: serverless.max_runners,
      runnersMargin: serverless.runners_margin,
      drainGracePeriod: serverless.drain_grace_period ?? existing?.drainGracePeriod ?? 5,
    });
    return sendJson(res, 200, { created });
  }
  throw new HttpError(404, { group: "api", code: "not_found", message: `no route for ${method} ${path}` });
}

function checkEndpointUrl(session: EngineApiHost, url: string): void {
  try {
    session.outbound?.checkUrl(url);
  } catch (err) {
    if (err instanceof OutboundError) throw invalid(`datacenters.*.serverless.url: ${err.message}`, err.code === "invalid_url" ? "invalid_endpoint_url" : "endpoint_address_not_allowed");
    throw err;
  }
}

function poolJson(pool: PoolConfig) {
  return {
    url: pool.url,
    headers: pool.headers,
    request_lifespan: pool.requestLifespan,
    slots_per_runner: pool.slotsPerRunner,
    min_runners: pool.minRunners,
    max_runners: pool.maxRunners,
    runners_margin: pool.runnersMargin,
    drain_grace_period: pool.drainGracePeriod,
  };
}
