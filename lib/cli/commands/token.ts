// wakeline token: the access token a server listening beyond loopback generated and stored (for a
// user who missed it at that start). WAKELINE_TOKEN, when set, is the token instead.
import { parse } from "../args";
import { helpFor } from "../help";
import { CliFailure, EXIT_OK, type CliIO } from "../io";
import { withDb } from "../session";

export async function tokenCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parse("token", args, {});
  if (parsed.values.help) {
    io.stdout(`${helpFor("token")}\n`);
    return EXIT_OK;
  }
  if (process.env.WAKELINE_TOKEN) {
    io.stdout(`${process.env.WAKELINE_TOKEN}\n`);
    return EXIT_OK;
  }
  const [{ readSetting }, { TOKEN_SETTING }] = await Promise.all([import("@/lib/store/settings"), import("@/lib/auth/settings")]);
  const token = await withDb((db) => readSetting(db, TOKEN_SETTING));
  if (!token) throw new CliFailure("no token is stored: the server has only listened on loopback, where it needs none (set WAKELINE_TOKEN to choose one)");
  io.stdout(`${token}\n`);
  return EXIT_OK;
}
