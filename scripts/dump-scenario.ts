// Debug helper: prints a scenario's recorded events, one line each (default view unless --full).
import { loadScenario, runScenario } from "../lib/runtime";
import type { TraceEvent } from "../lib/trace/types";
import { ROLE_SHORT } from "../lib/trace/types";

const [name, ...flags] = process.argv.slice(2);
const full = flags.includes("--full");
const events: TraceEvent[] = [];
runScenario(loadScenario(name), { seed: 1, sink: (e) => events.push(e) });
for (const e of events) {
  if (e.housekeeping && !full) continue;
  const f = e.from ? ROLE_SHORT[e.from.role] : "";
  const t = e.to ? ROLE_SHORT[e.to.role] : "";
  const label = e.label.replace(/<br\/>/g, " ");
  const base = `${String(e.seq).padStart(4)} ${e.time.toFixed(0).padStart(6)} ph=${e.phaseId ?? "-"} `;
  if (e.kind === "message") console.log(`${base}${f}->>${t}: ${e.relayOf ? "(relay) " : ""}${label}`);
  else if (e.kind === "note") console.log(`${base}note over ${f}${t ? ", " + t : ""}: ${label}`);
  else if (e.kind === "relation") console.log(`${base}${f}-->${t}: ${label}`);
  else if (e.kind === "phase-start") console.log(`${base}critical ${label}`);
  else console.log(`${base}end ${label}`);
}
