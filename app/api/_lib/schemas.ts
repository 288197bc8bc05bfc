// Input shapes of the API. Query-string values arrive as strings, so numbers and flags are coerced.
import { z } from "zod";
import { RUN_SOURCES } from "@/lib/trace/types";

const MAX_SEED = 2 ** 31 - 1;

export const startRunBody = z
  .object({
    // A built-in scenario's name, or a scenario definition the runtime validates itself. Names are
    // plain words: the service would also read a scenario from a file path, which HTTP clients must
    // not be able to make the server do.
    scenario: z.union([
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be the name of a built-in scenario"),
      z.record(z.string(), z.unknown()),
    ]),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
  })
  .strict();

export const listRunsQuery = z.object({
  name: z.string().min(1).optional(),
  source: z.enum(RUN_SOURCES).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
});

const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

export const diagramQuery = z.object({
  actor: z.string().min(1).optional(),
  cycle: z.coerce.number().int().min(1).optional(),
  all: flag.optional(),
  detail: z.enum(["default", "full"]).optional(),
});
