// npm run fidelity: the same workloads with the same clients against the embedded engine and the
// real Rivet engine (through the recording proxy), every pair of cycles compared; prints the
// differences and the figures of both engines, and writes docs/fidelity.md.
//   npm run fidelity -- --workload wake --client serverless-v7   (repeatable; default: all)
//   npm run fidelity -- --out /tmp/fidelity.md                   (another report file)
import fs from "node:fs";
import path from "node:path";
import { renderMarkdown, renderTerminal } from "@/lib/fidelity/report";
import { runFidelity } from "@/lib/fidelity/run";
import { CLIENTS, WORKLOADS, type ClientKind, type WorkloadName } from "@/lib/fidelity/types";

const ROOT = path.resolve(__dirname, "..");

function parseArgs(argv: string[]) {
  const workloads: WorkloadName[] = [];
  const clients: ClientKind[] = [];
  let out = path.join(ROOT, "docs", "fidelity.md");
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--workload" && WORKLOADS.includes(value as WorkloadName)) workloads.push(value as WorkloadName);
    else if (flag === "--client" && CLIENTS.includes(value as ClientKind)) clients.push(value as ClientKind);
    else if (flag === "--out" && value) out = path.resolve(value);
    else {
      console.error(`unknown option ${flag} ${value ?? ""}\nworkloads: ${WORKLOADS.join(", ")}\nclients: ${CLIENTS.join(", ")}`);
      process.exit(2);
    }
    i++;
  }
  return { plan: { workloads: workloads.length > 0 ? workloads : WORKLOADS, clients: clients.length > 0 ? clients : CLIENTS }, out };
}

/** The installed version of a dependency (read from its folder: not every package exports its package.json). */
function packageVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

async function main() {
  const { plan, out } = parseArgs(process.argv.slice(2));
  const result = await runFidelity(plan, (line) => console.log(line));
  console.log(renderTerminal(result));
  fs.writeFileSync(out, renderMarkdown(result, { runner: packageVersion("@rivetkit/engine-runner"), rivetkit: packageVersion("rivetkit-2-3") }));
  console.log(`report: ${path.relative(process.cwd(), out)}`);
  // Runner clients keep timers of their own; the run is over.
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
