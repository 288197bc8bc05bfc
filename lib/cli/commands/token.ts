// wakeline token: the access token a server listening beyond loopback generated and stored (for a
// user who missed it at that start). WAKELINE_TOKEN, when set, is the token instead. With --runner,
// a runner token derived from it: it lets a runner connect under that name only.
import { optionalInteger, optionalString, parse } from "../args";
import { helpFor } from "../help";
import { CliFailure, EXIT_OK, UsageError, type CliIO } from "../io";
import { withDb } from "../session";

export async function tokenCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parse("token", args, { runner: { type: "string" }, "max-version": { type: "string" } });
  if (parsed.values.help) {
    io.stdout(`${helpFor("token")}\n`);
    return EXIT_OK;
  }
  const runner = optionalString(parsed, "runner");
  const maxVersion = optionalInteger(parsed, "max-version", "token", 0);
  if (runner === "" || (runner !== undefined && runner.trim() === "")) throw new UsageError("--runner needs a runner name", "token");
  if (maxVersion !== undefined && runner === undefined) throw new UsageError("--max-version goes with --runner", "token");
  const token = await serverToken();
  if (runner === undefined) {
    io.stdout(`${token}\n`);
    return EXIT_OK;
  }
  const { runnerToken } = await import("@/lib/auth/runner-tokens");
  io.stdout(`${runnerToken(token, { name: runner, maxVersion: maxVersion ?? null })}\n`);
  return EXIT_OK;
}

async function serverToken(): Promise<string> {
  if (process.env.WAKELINE_TOKEN) return process.env.WAKELINE_TOKEN;
  const [{ readSetting }, { TOKEN_SETTING }] = await Promise.all([import("@/lib/store/settings"), import("@/lib/auth/settings")]);
  const token = await withDb((db) => readSetting(db, TOKEN_SETTING));
  if (!token) throw new CliFailure("no token is stored: the server has only listened on loopback, where it needs none (set WAKELINE_TOKEN to choose one)");
  return token;
}
