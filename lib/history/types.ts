// A real engine's workflow histories, as read from `rivet-engine workflow list` and
// `rivet-engine workflow history <id> -t -t -f`, whatever backend produced them.

export interface WorkflowSummary {
  id: string;
  name: string;
  state: string;
  tags: Record<string, string>;
}

export interface HistoryEvent {
  /** `activity`, `signal recv`, `signal send`, `message send`, `sub workflow`, `loop`, `branch`, `sleep`, `version check`, … */
  kind: string;
  /** Activity, signal, message or sub-workflow name (empty when the kind has none). */
  name: string;
  /** Epoch milliseconds of the event's creation (for `signal recv`: when the signal was consumed). */
  created: number | null;
  /** From an earlier loop iteration (`-f`). */
  forgotten: boolean;
  /** A `removed …` event: kept in the history for replay, never run. */
  removed: boolean;
  /** `input`, `output`, `body`, `id`, `to workflow id`, `deadline`, `state`, `iteration`, `version`, … */
  fields: Record<string, unknown>;
  /** `signal recv`: the signals it consumed. */
  signals: { name: string; id: string | null; body: unknown }[];
  children: HistoryEvent[];
}

export interface WorkflowHistory {
  name: string;
  id: string;
  tags: Record<string, unknown>;
  input: unknown;
  state: unknown;
  /** The trailer, e.g. "sleeping", "complete", with its reason or output. */
  status: string | null;
  statusDetail: string | null;
  events: HistoryEvent[];
}

/** Where histories come from: the engine's own CLI on a data folder today, another store later. */
export interface HistoryReader {
  /** A short description for messages ("rivet-engine CLI on a copy of /data/db"). */
  readonly source: string;
  list(): Promise<WorkflowSummary[]>;
  history(workflowId: string): Promise<WorkflowHistory>;
  /** Frees what the reader holds (a snapshot copy). */
  close(): Promise<void>;
}
