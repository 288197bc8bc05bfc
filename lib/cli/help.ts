// Help texts, one per command. Kept together so `wakeline --help` and each command agree.
export const HELP: Record<string, string> = {
  wakeline: `Usage: wakeline <command> [options]

Record, inspect and draw the wake/sleep cycles of serverless actors.

Commands:
  scenario list                      List the built-in scenarios
  scenario run <name | file.json>    Run a scenario on the virtual clock and record it
  runs                               List recorded runs
  diagram --run <id>                 Print a Mermaid sequence diagram of a run
  conform --run <id> --reference <file.mmd> [--real-engine]
                                     Compare a run with a reference diagram
  check --run <id>                   Check a run's invariants
  export --run <id> [--out <file>]   Write a run as a JSON bundle
  import <file>                      Load a JSON bundle as a new run
  record --engine <url> [--port N]   Record a real Rivet engine through a proxy
  record import-history --run <id>   Add a stopped engine's workflow histories to a run
  token                              Print the server's access token, or a runner token

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

  runs: `Usage: wakeline runs [--name TEXT] [--source scenario|live|import|otlp|real] [--limit N] [--json]

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

  conform: `Usage: wakeline conform --run <id> --reference <file.mmd> [--actor <id>] [--cycle N] [--real-engine]

Compares the default diagram of the actor's whole run (or one cycle) with a reference Mermaid
diagram. Exits 0 when they match, 1 with a report of what is missing, extra or out of order.

Options:
  --run ID        The run (see "wakeline runs")
  --reference F   The reference Mermaid sequence diagram (.mmd)
  --actor ID      The actor (default: the run's first actor)
  --cycle N       Only the actor's N-th wake/sleep cycle (from 1)
  --real-engine   Read the reference as the real Rivet engine works, for runs recorded with
                  "wakeline record" (see docs/recording-a-real-engine.md):
                  - Runner Workflow relays are bypassed: "X->>RWF: label" followed by its relay
                    "RWF->>Y:" is compared as "X->>Y: label" (the real runner workflow does not
                    relay commands and events; the actor workflow talks to the runner's socket);
                  - only lifelines both diagrams draw are compared;
                  - the reference's leading notes (how things stood before the flow, e.g. "Actor
                    already created and sleeping") are skipped.`,

  check: `Usage: wakeline check --run <id>

Checks a recorded run's invariants (requests answered, one placement at a time, generations,
gap-free seqs, causes, phases). Exits 1 and lists the events involved when one is violated.`,

  token: `Usage: wakeline token [--runner <name> [--max-version N]]

Prints the access token the server generated and stored when it first listened beyond loopback
(HOST=0.0.0.0), or WAKELINE_TOKEN when that is set. Anyone who can read the database can read it.

  --runner <name>     print a runner token instead: a runner connecting with it may announce
                      itself only under this name (so it cannot take another pool's actors)
  --max-version N     and only with a version up to N (so it cannot outbid newer runners)`,

  export: `Usage: wakeline export --run <id> [--out <file>]

Writes the run (events, cycles) as a JSON bundle to the file, or to stdout.`,

  record: `Usage: wakeline record --engine <url> [--port N] [options]

Starts a proxy in front of a real Rivet engine and records every hop through it into a new run
(source "real"): gateway requests, runner (v7) and envoy (v8) WebSocket frames, engine API calls,
and the engine's calls to serverless endpoints. Point users, runners, envoys and rivetkit apps at
the proxy instead of the engine; serverless runner configs PUT through it are pointed at the proxy
(and back when it stops). Ctrl-C (or --duration) stops it; the engine's workflow histories are
then added to the run (see "wakeline record import-history --help" for where they are read).

Options:
  --engine URL              The engine (gateway and API), e.g. http://127.0.0.1:6420
  --port N                  Port of the proxy (default 6520; 0 picks a free one)
  --host H                  Address to listen on (default 127.0.0.1)
  --public-url URL          The proxy's URL as the engine and runners reach it (default http://host:port)
  --name TEXT               Run name (default "real engine <version>")
  --duration S              Stop after S seconds
  --no-history              Do not read workflow histories
  --keep-endpoint           Do not hand serverless runners the proxy as their engine (x-rivet-endpoint)
  --no-serverless-rewrite   Do not point serverless runner configs at the proxy
  --otlp-grpc-port N        Port of the OTLP/gRPC trace receiver (default 4317); start the engine with
                            RIVET_OTEL_ENABLED=1 RIVET_OTEL_GRPC_ENDPOINT=http://127.0.0.1:4317 and its
                            spans time what the wire and the histories cannot (the gateway's wakes)
  --otlp-http-port N        Port of the OTLP/HTTP receiver, protobuf or JSON (default 4318)
  --no-otlp                 Take no traces
  --data-dir DIR, --config FILE, --engine-bin PATH, --otlp-file FILE   As for import-history
  --json                    Print the run and its cycles as JSON`,

  "record import-history": `Usage: wakeline record import-history --run <id> [--data-dir DIR] [--config FILE] [--engine-bin PATH] [--otlp-file FILE] [--json]

Reads the engine's workflow histories (actor, runner, pool and serverless workflows of the actors
the run saw) with "rivet-engine workflow history", on a copy of the engine's data folder without
its LOCK file, and adds their signals, messages, activities and notes to the run; its cycles are
computed again. Running it again replaces what an earlier import added.

The data folder is found as rivet-engine finds it: RIVET__FILE_SYSTEM__PATH, else the config file(s)
(--config, else /etc/rivet), else the engine's default (~/.local/share/rivet-engine/db).

Options:
  --run ID            The run (see "wakeline runs --source real")
  --data-dir DIR      The engine's data folder (overrides the rest)
  --config FILE       The engine's config file or folder (repeatable)
  --engine-bin PATH   The rivet-engine binary (default: @rivetkit/engine-cli, or RIVET_ENGINE_BIN)
  --otlp-file FILE    The engine's traces as OTLP/JSON (one document, or one export request per line,
                      as an OpenTelemetry collector's file exporter writes them), for their times
  --json              Print the result as JSON`,

  import: `Usage: wakeline import <file> [--progress]

Loads a JSON bundle written by "wakeline export" as a new run and prints the new run's id. The file
is read and written piece by piece (a bundle of any size takes little memory); on a terminal, how
far it has got is shown on stderr.

Options:
  --progress  Show how far the import has got even when stderr is not a terminal (a line per tenth)`,
};

export function helpFor(command: string): string {
  return HELP[command] ?? HELP.wakeline;
}
