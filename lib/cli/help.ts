// Help texts, one per command. Kept together so `wakeline --help` and each command agree.
export const HELP: Record<string, string> = {
  wakeline: `Usage: wakeline <command> [options]

Record, inspect and draw the wake/sleep cycles of serverless actors.

Commands:
  scenario list                      List the built-in scenarios
  scenario run <name | file.json>    Run a scenario on the virtual clock and record it
  runs                               List recorded runs
  diagram --run <id>                 Print a Mermaid sequence diagram of a run
  conform --run <id> --reference <file.mmd>
                                     Compare a run with a reference diagram
  check --run <id>                   Check a run's invariants
  export --run <id> [--out <file>]   Write a run as a JSON bundle
  import <file>                      Load a JSON bundle as a new run

Run "wakeline <command> --help" for a command's options.
The database is DATABASE_URL, or data/wakeline.db in the project (created on first use).`,

  scenario: `Usage: wakeline scenario <list | run> …

  scenario list                      List the built-in scenarios
  scenario run <name | file.json>    Run a scenario and record it (see "wakeline scenario run --help")`,

  "scenario list": `Usage: wakeline scenario list

Lists the built-in scenarios with their descriptions.`,

  "scenario run": `Usage: wakeline scenario run <name | file.json> [--seed N] [--json]

Runs a built-in scenario (by name) or a scenario file on the virtual clock, records every event
and prints the run id and its wake/sleep cycles.

Options:
  --seed N    Random seed (default: the scenario's own seed, else 1); same seed, same trace
  --json      Print only {"runId": …, "cycles": […]} as JSON`,

  runs: `Usage: wakeline runs [--name TEXT] [--source scenario|live|import|otlp] [--limit N] [--json]

Lists recorded runs, newest first.

Options:
  --name TEXT     Only runs whose name contains TEXT
  --source S      Only runs from this source
  --limit N       At most N runs (default 50)
  --json          Print the runs as a JSON array`,

  diagram: `Usage: wakeline diagram --run <id> [--actor <id>] [--cycle N | --all-cycles] [--detail full]

Prints the Mermaid sequence diagram of a recorded run.

Options:
  --run ID        The run (see "wakeline runs")
  --actor ID      The actor to draw (default: the run's first actor)
  --cycle N       Only the actor's N-th wake/sleep cycle (from 1)
  --all-cycles    All of the actor's cycles (without its events between cycles)
  --detail full   Also draw housekeeping (pings, acks, state changes)`,

  conform: `Usage: wakeline conform --run <id> --reference <file.mmd> [--actor <id>]

Compares the default diagram of the actor's whole run with a reference Mermaid diagram.
Exits 0 when they match, 1 with a report of what is missing, extra or out of order.`,

  check: `Usage: wakeline check --run <id>

Checks a recorded run's invariants (requests answered, one placement at a time, generations,
gap-free seqs, causes, phases). Exits 1 and lists the events involved when one is violated.`,

  export: `Usage: wakeline export --run <id> [--out <file>]

Writes the run (events, cycles) as a JSON bundle to the file, or to stdout.`,

  import: `Usage: wakeline import <file>

Loads a JSON bundle written by "wakeline export" as a new run and prints the new run's id.`,
};

export function helpFor(command: string): string {
  return HELP[command] ?? HELP.wakeline;
}
