// Migrates one SQLite file and prints the names applied, as JSON. Used by the migrator's test to
// start several processes against the same file at once.
import { migrationsDir } from "../location";
import { migrateSqlite, readMigrationFiles } from "../migrate";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: migrate-file <sqlite file>\n");
  process.exit(2);
}
const result = migrateSqlite(file, readMigrationFiles(migrationsDir("sqlite")));
process.stdout.write(`${JSON.stringify(result.applied)}\n`);
