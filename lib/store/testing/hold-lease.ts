// Takes the engine lease of a namespace and holds it until killed, printing "held" once it has it.
// Used by the lease's test as a second process: a kill -9 must free the lease for the next engine.
import { openDb } from "../db";
import { acquireEngineLease } from "../engine-lease";

async function main(url: string, namespace: string) {
  const db = await openDb(url);
  await acquireEngineLease(db, namespace, { heartbeatMs: 200 });
  process.stdout.write("held\n");
  setInterval(() => undefined, 60_000);
}

const [url, namespace] = process.argv.slice(2);
if (!url || !namespace) {
  process.stderr.write("usage: hold-lease <database url> <namespace>\n");
  process.exit(2);
}
main(url, namespace).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
