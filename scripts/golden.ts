// Writes the golden traces again (lib/runtime/golden/traces): only after a deliberate change of an
// engine rule, with the changed events read in the diff.   npm run golden
import { goldenScenarios, writeGolden } from "../lib/runtime/golden/golden-traces";

for (const scenario of goldenScenarios()) console.log(`${scenario.name}: ${writeGolden(scenario)} events`);
