// Server-sent events: the wire format and where a (re)connecting client resumes. Pure.

/** Where a stream starts: after the `after` query value, or after the browser's Last-Event-ID. */
export class ResumeError extends Error {
  readonly code = "invalid_after";
  constructor(message: string) {
    super(message);
    this.name = "ResumeError";
  }
}

const WHOLE_NUMBER = /^\d{1,15}$/;

/**
 * The seq after which to send events. An EventSource that reconnects repeats its original URL and
 * adds `Last-Event-ID` (the seq of the last event it received), so the later of the two wins: no
 * event is sent twice and none is skipped. A malformed `after` is the caller's mistake (coded
 * error); a malformed header is ignored, since browsers only echo what we sent.
 */
export function resumeAfter(after: string | null, lastEventId: string | null): number {
  let from = 0;
  if (after !== null && after !== "") {
    if (!WHOLE_NUMBER.test(after)) throw new ResumeError(`after must be a whole number ≥ 0 (an event seq), not "${after}"`);
    from = Number(after);
  }
  const resumed = lastEventId !== null && WHOLE_NUMBER.test(lastEventId.trim()) ? Number(lastEventId.trim()) : 0;
  return Math.max(from, resumed);
}

export interface SseMessage {
  /** Becomes the client's Last-Event-ID. */
  id?: number | string;
  /** Event name; the default ("message") when absent. */
  event?: string;
  data: string;
}

/** One message in the text/event-stream format; multi-line data is split into `data:` lines. */
export function formatSse(message: SseMessage): string {
  const lines: string[] = [];
  if (message.event !== undefined) lines.push(`event: ${singleLine(message.event)}`);
  if (message.id !== undefined) lines.push(`id: ${singleLine(String(message.id))}`);
  for (const line of message.data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join("\n")}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies from closing an idle connection. */
export function formatSseComment(text: string): string {
  return `: ${singleLine(text)}\n\n`;
}

/** Tells the browser how long to wait before reconnecting. */
export function formatSseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}

function singleLine(text: string): string {
  return text.replace(/[\r\n]/g, " ");
}
