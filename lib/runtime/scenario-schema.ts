// The JSON scenario format (documented in docs/scenarios.md): pools and timings, actors, faults and
// steps at virtual times. Validation turns bad files into one clear, coded message.
import { z } from "zod";
import { timingProblem } from "../engine/config";
import { ROLES, ROLE_SHORT, type Role } from "../trace/types";

const roleNames = [...ROLES, ...Object.values(ROLE_SHORT)] as [string, ...string[]];
export const roleName = z.enum(roleNames);

/** Short lifeline id → role (a note step looks its role up once per step). */
const ROLE_BY_SHORT = new Map((Object.entries(ROLE_SHORT) as [Role, string][]).map(([role, short]) => [short, role]));

export function toRole(name: string): Role {
  return ROLE_BY_SHORT.get(name) ?? (name as Role);
}

/**
 * Engine timings by key (lib/engine/config.ts): an unknown key, or a period of a repeating timer
 * at 0 or less (which would fire for ever at one instant), is an error naming the key.
 */
const timingSchema = z.record(z.string(), z.number()).superRefine((timing, issues) => {
  for (const [key, value] of Object.entries(timing)) {
    const problem = timingProblem(key, value);
    if (problem) issues.addIssue({ code: "custom", path: [key], message: problem });
  }
});

const nonNegative = z.number().finite().nonnegative();

const poolSchema = z
  .object({
    name: z.string().min(1).default("default"),
    url: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    requestLifespan: z.number().positive().optional(),
    slotsPerRunner: z.number().int().positive().optional(),
    minRunners: z.number().int().nonnegative().optional(),
    maxRunners: z.number().int().nonnegative().optional(),
    runnersMargin: z.number().int().nonnegative().optional(),
    drainGracePeriod: nonNegative.optional(),
  })
  .strict();

const actorSchema = z
  .object({
    id: z.string().min(1).max(128),
    pool: z.string().default("default"),
    key: z.string().nullable().optional(),
    crashPolicy: z.enum(["sleep", "restart", "destroy"]).default("sleep"),
    /** sleeping: exists before the run, asleep. */
    state: z.enum(["sleeping"]).default("sleeping"),
  })
  .strict();

const hopFaultSchema = z
  .object({
    from: roleName.optional(),
    to: roleName.optional(),
    type: z.string().optional(),
    mode: z.enum(["transit", "hold", "drop"]),
    ms: nonNegative.optional(),
    nth: z.array(z.number().int().positive()).optional(),
    after: nonNegative.optional(),
    before: nonNegative.optional(),
  })
  .strict();

const stepSchema = z.union([
  z
    .object({
      at: nonNegative,
      request: z
        .object({
          actor: z.string(),
          method: z.string().default("GET"),
          path: z.string().default("/"),
          user: z.string().default("user-1"),
          label: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      at: nonNegative,
      /**
       * A client WebSocket through the gateway: the first step naming a socket opens it; each step
       * sends its messages in order, then closes it if asked.
       */
      websocket: z
        .object({
          actor: z.string(),
          socket: z.string().min(1).max(128).default("ws-1"),
          user: z.string().default("user-1"),
          path: z.string().default("/"),
          send: z.array(z.string()).default([]),
          close: z.boolean().default(false),
        })
        .strict(),
    })
    .strict(),
  z.object({ at: nonNegative, note: z.object({ over: z.union([roleName, z.array(roleName).min(1).max(2)]), text: z.string().min(1), actor: z.string().optional() }).strict() }).strict(),
  z
    .object({
      at: nonNegative,
      create: z.object({ actor: z.string().min(1), pool: z.string().default("default"), key: z.string().nullable().optional(), crashPolicy: z.enum(["sleep", "restart", "destroy"]).default("sleep") }).strict(),
    })
    .strict(),
  z.object({ at: nonNegative, destroy: z.object({ actor: z.string() }).strict() }).strict(),
  z
    .object({
      at: nonNegative,
      fault: z
        .object({
          kind: z.enum(["drain-runner", "evict-runner", "kill-runner", "disconnect-runner", "silent-runner", "crash-actor"]),
          runner: z.number().int().positive().optional(),
          actor: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
]);

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().default(""),
    seed: z.number().int().optional(),
    /** Engine time the run stops at; default: 30 s after the last step. */
    durationMs: z.number().positive().max(24 * 3600_000).optional(),
    config: z
      .object({
        namespace: z.string().optional(),
        timing: timingSchema.optional(),
        latency: z
          .object({
            defaultHopMs: nonNegative.optional(),
            hops: z.record(z.string(), nonNegative).optional(),
            processingMs: z.record(z.string(), nonNegative).optional(),
          })
          .strict()
          .optional(),
        goingAwayOnDrain: z.boolean().optional(),
      })
      .strict()
      .default({}),
    pools: z.array(poolSchema).default([{ name: "default" }]),
    actors: z.array(actorSchema).default([]),
    faults: z.array(hopFaultSchema).default([]),
    endpointFailures: z.array(z.object({ pool: z.string().default("default"), times: z.number().int().positive(), status: z.number().int().default(500) }).strict()).default([]),
    steps: z.array(stepSchema).default([]),
  })
  .strict()
  .superRefine((scenario, issues) => {
    // Names that must point at something the scenario declares (an actor in an unknown pool would
    // wait for a runner forever).
    const pools = new Set(scenario.pools.map((pool) => pool.name));
    const check = (pool: string, path: (string | number)[]) => {
      if (!pools.has(pool)) issues.addIssue({ code: "custom", path, message: `unknown pool "${pool}" (declared: ${[...pools].join(", ")})` });
    };
    scenario.actors.forEach((actor, index) => check(actor.pool, ["actors", index, "pool"]));
    scenario.endpointFailures.forEach((failure, index) => check(failure.pool, ["endpointFailures", index, "pool"]));
    scenario.steps.forEach((step, index) => {
      if ("create" in step) check(step.create.pool, ["steps", index, "create", "pool"]);
    });
    const ids = new Set<string>();
    const duplicate = scenario.actors.find((actor) => ids.size === ids.add(actor.id).size)?.id;
    if (duplicate) issues.addIssue({ code: "custom", path: ["actors"], message: `actor "${duplicate}" is declared twice` });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = Scenario["steps"][number];
