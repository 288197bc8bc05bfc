// Connections to PostgreSQL through node-postgres, for the parts of the store that talk to the
// server directly (the migrator, the event writer, the engine lease). A failure to connect becomes
// a StoreError with a code and a message that names the server but never the password.
import pg, { type Client, type Pool } from "pg";
import { StoreError } from "./errors";

/** How long a connection attempt may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** `postgresql://user@host:port/db`: the URL without its password or query, for messages. */
export function describePgUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : "";
    return `postgresql://${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return "postgresql://(unparsable URL)";
  }
}

/** A StoreError for a failure to reach or use the server at `url`. */
export function pgConnectionError(err: unknown, url: string): StoreError {
  if (err instanceof StoreError) return err;
  const where = describePgUrl(url);
  const code = (err as { code?: unknown }).code;
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case "28P01":
    case "28000":
      return new StoreError("database_auth_failed", `PostgreSQL at ${where} refused the login: ${detail}. Check the user and password in DATABASE_URL.`);
    case "3D000":
      return new StoreError("database_not_found", `PostgreSQL at ${where}: ${detail}. Create the database first (CREATE DATABASE).`);
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "57P03":
      return new StoreError("database_unavailable", `Cannot reach PostgreSQL at ${where}: ${detail}`);
    default:
      if (/timeout|terminated|ECONNRESET/i.test(detail)) {
        return new StoreError("database_unavailable", `Cannot reach PostgreSQL at ${where}: ${detail}`);
      }
      return new StoreError("database_error", `PostgreSQL at ${where}: ${detail}`);
  }
}

/** A connected client of its own (the caller ends it); connection failures are StoreErrors. */
export async function connectPgClient(url: string, applicationName: string): Promise<Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: applicationName });
  // A connection lost later emits "error"; without a listener it would crash the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw pgConnectionError(err, url);
  }
  return client;
}

/** A pool of connections (Prisma's, and the writer's own so it never queues behind Prisma's). */
export function createPgPool(url: string, applicationName: string, max: number): Pool {
  // allowExitOnIdle: idle connections never keep the process alive (a CLI ends when its work does).
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: applicationName,
    max,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // An idle connection the server drops emits "error" on the pool; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/** A timestamp(3) value as Prisma stores DateTime on PostgreSQL: UTC, without a zone. */
export function pgTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "");
}
