// Parses the text the engine's CLI prints: the `workflow list` table and `workflow history -t -t -f`
// trees. Events are `- kind name` lines nested by two spaces; their properties are `| key value`
// lines below them, JSON values spread over several `|` lines. Pure.
import type { HistoryEvent, WorkflowHistory, WorkflowSummary } from "./types";

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
/** Log lines the CLI writes to stdout before its output (`ts=… level=… message=…`). */
const LOG_LINE = /^ts=\S+ level=/;

export class HistoryParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryParseError";
  }
}

function cleanLines(text: string): string[] {
  return text
    .replace(ANSI, "")
    .split(/\r?\n/)
    .filter((line) => !LOG_LINE.test(line));
}

/** `workflow list`: a box-drawn table of id, name, state and tags. */
export function parseWorkflowList(text: string): WorkflowSummary[] {
  const out: WorkflowSummary[] = [];
  for (const line of cleanLines(text)) {
    if (!line.startsWith("│")) continue;
    const cells = line.split("│").slice(1, -1).map((cell) => cell.trim());
    if (cells.length < 4 || cells[0] === "workflow_id") continue;
    const [id, name, state, tags] = cells;
    out.push({ id, name, state, tags: parseTags(tags) });
  }
  return out;
}

function parseTags(text: string): Record<string, string> {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    // A cut-off cell: take the pairs that are whole.
    const tags: Record<string, string> = {};
    for (const match of text.matchAll(/"([^"]+)":"([^"]*)"/g)) tags[match[1]] = match[2];
    return tags;
  }
}

interface RawEvent {
  indent: number;
  head: string;
  props: string[];
  children: RawEvent[];
}

/** `workflow history <id> -t -t [-f]`. */
export function parseWorkflowHistory(text: string): WorkflowHistory {
  const lines = cleanLines(text);
  let i = 0;
  while (i < lines.length && lines[i].trim() === "") i++;
  const title = lines[i]?.trim().split(/\s+/) ?? [];
  if (title.length < 2 || lines[i].startsWith("-") || lines[i].startsWith("|")) {
    throw new HistoryParseError(`not a workflow history (first line: ${JSON.stringify((lines[i] ?? "").slice(0, 80))})`);
  }
  const [name, id] = title;
  i++;
  const headerProps: string[] = [];
  while (i < lines.length && lines[i].startsWith("|")) headerProps.push(stripBar(lines[i++], 0));
  const header = readProps(headerProps);

  const roots: RawEvent[] = [];
  const stack: RawEvent[] = [];
  let status: string | null = null;
  const statusProps: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const event = /^( *)- (.*)$/.exec(line);
    if (event) {
      const raw: RawEvent = { indent: event[1].length, head: event[2].trim(), props: [], children: [] };
      while (stack.length > 0 && stack[stack.length - 1].indent >= raw.indent) stack.pop();
      (stack.length > 0 ? stack[stack.length - 1].children : roots).push(raw);
      stack.push(raw);
      continue;
    }
    const prop = /^( *)\|(.*)$/.exec(line);
    if (prop && status === null) {
      const owner = [...stack].reverse().find((e) => e.indent + 2 === prop[1].length);
      if (owner) owner.props.push(stripBar(line, prop[1].length));
      continue;
    }
    if (prop && status !== null) {
      statusProps.push(stripBar(line, prop[1].length));
      continue;
    }
    // "Workflow sleeping", "Workflow complete", …
    const trailer = /^Workflow (\w+)/.exec(line.trim());
    if (trailer) {
      status = trailer[1];
      stack.length = 0;
    }
  }
  const statusFields = readProps(statusProps);
  const detail = statusFields.reason ?? statusFields.output ?? statusFields.error;
  return {
    name,
    id,
    tags: (header.tags as Record<string, unknown>) ?? {},
    input: header.input ?? null,
    state: header.state ?? null,
    status,
    statusDetail: detail === undefined ? null : typeof detail === "string" ? detail : JSON.stringify(detail),
    events: roots.map(toEvent),
  };
}

function stripBar(line: string, indent: number): string {
  const rest = line.slice(indent + 1);
  return rest.startsWith(" ") ? rest.slice(1) : rest;
}

function toEvent(raw: RawEvent): HistoryEvent {
  let head = raw.head;
  const forgotten = head.startsWith("forgotten ");
  if (forgotten) head = head.slice("forgotten ".length);
  const removed = head.startsWith("removed ");
  if (removed) head = head.slice("removed ".length);
  const { kind, name } = splitHead(head);
  const signalLines = raw.props.filter((line) => line.startsWith("- ") || line.startsWith("  "));
  const ownLines = kind === "signal recv" ? raw.props.filter((line) => !signalLines.includes(line)) : raw.props;
  const fields = readProps(ownLines);
  const created = typeof fields.created === "string" ? parseTimestamp(fields.created) : null;
  delete fields.created;
  return {
    kind,
    name,
    created,
    forgotten,
    removed,
    fields,
    signals: kind === "signal recv" ? readSignals(signalLines) : [],
    children: raw.children.map(toEvent),
  };
}

const KINDS = ["signal recv", "signal send", "message send", "sub workflow", "version check", "activity", "loop", "branch", "sleep", "signals", "message"];

function splitHead(head: string): { kind: string; name: string } {
  for (const kind of KINDS) {
    if (head === kind) return { kind, name: "" };
    if (head.startsWith(`${kind} `)) {
      const name = head.slice(kind.length + 1).trim();
      // `signal recv 1`: the count of signals it waited for, not a name.
      return { kind, name: kind === "signal recv" && /^\d+$/.test(name) ? "" : name };
    }
  }
  const space = head.indexOf(" ");
  return space < 0 ? { kind: head, name: "" } : { kind: head.slice(0, space), name: head.slice(space + 1) };
}

const MULTI_WORD_KEYS = ["to workflow id", "sub workflow id"];

/** `key value` lines; a value of `{` or `[` continues on the following lines until it closes. */
function readProps(lines: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "" || line.startsWith(" ")) continue;
    const key = MULTI_WORD_KEYS.find((k) => line === k || line.startsWith(`${k} `)) ?? line.split(" ")[0];
    const rest = line.slice(key.length).trim();
    if (rest === "{" || rest === "[") {
      const block = [rest];
      let j = i + 1;
      for (; j < lines.length; j++) {
        block.push(lines[j]);
        if (lines[j] === "}" || lines[j] === "]") break;
      }
      i = j;
      out[key] = parseValue(block.join("\n"));
    } else {
      out[key] = parseValue(rest);
    }
  }
  return out;
}

function readSignals(lines: readonly string[]): HistoryEvent["signals"] {
  const signals: HistoryEvent["signals"] = [];
  let current: string[] | null = null;
  let name = "";
  const flush = () => {
    if (current === null) return;
    const fields = readProps(current.map((line) => line.replace(/^ {4}/, "")));
    signals.push({ name, id: typeof fields.id === "string" ? fields.id : null, body: fields.body ?? null });
  };
  for (const line of lines) {
    if (line.startsWith("- ")) {
      flush();
      name = line.slice(2).trim();
      current = [];
    } else if (current !== null) current.push(line);
  }
  flush();
  return signals;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `2026-12-01 20:20:22.043` (UTC, as the CLI prints it) → epoch milliseconds. */
export function parseTimestamp(text: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)/.exec(text.trim());
  if (!match) return null;
  const ms = Date.parse(`${match[1]}T${match[2]}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** Every event of a history, depth first, in the order the CLI printed them. */
export function flattenEvents(events: readonly HistoryEvent[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  const walk = (list: readonly HistoryEvent[]) => {
    for (const event of list) {
      out.push(event);
      walk(event.children);
    }
  };
  walk(events);
  return out;
}
