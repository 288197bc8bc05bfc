// Runs once when the Next.js server starts, before it serves a request.

export async function register(): Promise<void> {
  // The database layer uses Node APIs (SQLite); the edge runtime has no use for it.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Migrate up front so the first `npm start` creates the SQLite file with no other step, and a
  // broken database shows up in the server log at start rather than on the first request.
  const { migrateDatabase } = await import("@/lib/store/migrate");
  const { resolveDatabase } = await import("@/lib/store/location");
  const location = resolveDatabase(process.env.DATABASE_URL);
  const { applied } = await migrateDatabase(location);
  const where = location.file ?? location.provider;
  console.log(
    applied.length > 0
      ? `[wakeline] database ${where}: applied ${applied.length} migration(s)`
      : `[wakeline] database ${where}: up to date`,
  );
}
