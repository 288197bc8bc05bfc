// Migrates one database (a SQLite file, or a postgresql:// URL) and prints the names applied, as
// JSON. Used by the migrators' tests to start several processes against the same database at once.
import { migrationsDir, resolveDatabase } from "../location";
import { migrateDatabase, migrateSqlite, readMigrationFiles } from "../migrate";

async function main(target: string) {
  const result = /^postgres(ql)?:\/\//.test(target)
    ? await migrateDatabase(resolveDatabase(target))
    : migrateSqlite(target, readMigrationFiles(migrationsDir("sqlite")));
  process.stdout.write(`${JSON.stringify(result.applied)}\n`);
}

const target = process.argv[2];
if (!target) {
  process.stderr.write("usage: migrate-file <sqlite file | postgresql:// url>\n");
  process.exit(2);
}
main(target).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
