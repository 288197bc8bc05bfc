"use client";

// The selected event: what it is, between which instances, when (relative to the cycle and as a
// wall-clock instant), its payload as JSON text, the chain of events that caused it and the relays
// of the same message. Everything is rendered as text, so a payload can never run as script.
import { useQuery } from "@tanstack/react-query";
import type { TraceEvent } from "@/lib/trace/types";
import { ErrorState, LoadingState } from "@/components/QueryStates";
import { describeEvent, eventLabel, participantText, payloadText, relaysOf } from "./describe";
import { cycleQueries } from "./queries";
import { browserOffsetMinutes, formatGap, formatInstant, formatOffset } from "./time-format";
import { useIsClient } from "./use-is-client";
import type { TimeZoneChoice } from "./view-state";

export interface EventDetailProps {
  runId: string;
  seq: number;
  /** The cycle's events (the selected one is usually among them). */
  events: readonly TraceEvent[];
  /** The view's steps: the gap is measured to the step before, when the event is one. */
  steps: readonly TraceEvent[];
  cycleStart: number;
  runStartedAt: string;
  tz: TimeZoneChoice;
  onSelect: (seq: number) => void;
  onClose: () => void;
}

export function EventDetail(props: EventDetailProps) {
  const { runId, seq, events, steps, cycleStart, runStartedAt, tz, onSelect, onClose } = props;
  const causes = useQuery(cycleQueries.causes(runId, seq));
  const isClient = useIsClient();
  const event = events.find((candidate) => candidate.seq === seq) ?? causes.data?.chain[0];

  return (
    <section className="event-detail card" aria-labelledby="event-detail-heading" data-testid="event-detail">
      <header className="event-detail-header">
        <h3 id="event-detail-heading">Event #{seq}</h3>
        <button type="button" className="button-secondary" onClick={onClose}>
          Close
        </button>
      </header>
      {!event && causes.isPending && <LoadingState>Loading event…</LoadingState>}
      {!event && causes.isError && <ErrorState title="The event could not be loaded." error={causes.error} />}
      {event && (
        <>
          <dl className="detail-list">
            <dt>Type</dt>
            <dd>
              <span className="mono">{event.type}</span> <span className="muted">({event.kind})</span>
            </dd>
            <dt>Label</dt>
            <dd>{eventLabel(event)}</dd>
            <dt>{event.kind === "note" ? "Over" : "From"}</dt>
            <dd className="mono">{participantText(event.from)}</dd>
            {event.to && (
              <>
                <dt>{event.kind === "note" ? "And" : "To"}</dt>
                <dd className="mono">{participantText(event.to)}</dd>
              </>
            )}
            {event.actorId && (
              <>
                <dt>Actor</dt>
                <dd className="mono">{event.actorId}</dd>
              </>
            )}
            {event.runnerId && (
              <>
                <dt>Runner</dt>
                <dd className="mono">{event.runnerId}</dd>
              </>
            )}
            <dt>Engine time</dt>
            <dd>
              <span data-testid="event-offset">{formatOffset(event.time - cycleStart)}</span> into the cycle
            </dd>
            <dt>At</dt>
            <dd>
              <time data-testid="event-instant">
                {tz === "local" && !isClient ? "…" : formatInstant(runStartedAt, event.time, tz, browserOffsetMinutes)}
              </time>
            </dd>
            <dt>Gap</dt>
            <dd>{gapText(event, steps, events)}</dd>
          </dl>
          <h4>Payload</h4>
          <pre className="payload" data-testid="event-payload">
            {payloadText(event.payload)}
          </pre>
          <Relays event={event} events={events} onSelect={onSelect} />
        </>
      )}
      <h4>Caused by</h4>
      {causes.isPending && <LoadingState>Loading causes…</LoadingState>}
      {causes.isError && <ErrorState title="The causes could not be loaded." error={causes.error} />}
      {causes.data &&
        (causes.data.chain.length <= 1 ? (
          <p className="muted">Nothing: this event starts a chain (a scenario step, a timer or an outside message).</p>
        ) : (
          <ol className="cause-chain" data-testid="cause-chain">
            {causes.data.chain.slice(1).map((cause) => (
              <li key={cause.seq}>
                <button type="button" className="link-button" onClick={() => onSelect(cause.seq)}>
                  {describeEvent(cause)}
                </button>{" "}
                <span className="muted">{formatOffset(cause.time - cycleStart)}</span>
              </li>
            ))}
            {causes.data.truncated && <li className="muted">… (chain cut here)</li>}
          </ol>
        ))}
    </section>
  );
}

function Relays({ event, events, onSelect }: { event: TraceEvent; events: readonly TraceEvent[]; onSelect: (seq: number) => void }) {
  if (event.kind !== "message") return null;
  const relays = relaysOf(event, events);
  if (relays.length <= 1) return null;
  return (
    <>
      <h4>Hops of this message</h4>
      <ol className="relay-list" data-testid="relay-list">
        {relays.map((relay) => (
          <li key={relay.seq}>
            {relay.seq === event.seq ? (
              <strong aria-current="true">{describeEvent(relay)}</strong>
            ) : (
              <button type="button" className="link-button" onClick={() => onSelect(relay.seq)}>
                {describeEvent(relay)}
              </button>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

function gapText(event: TraceEvent, steps: readonly TraceEvent[], events: readonly TraceEvent[]): string {
  const pool = steps.some((step) => step.seq === event.seq) ? steps : events;
  let previous: TraceEvent | undefined;
  for (const candidate of pool) {
    if (candidate.seq >= event.seq) break;
    previous = candidate;
  }
  if (!previous) return "first event of the view";
  return `${formatGap(event.time - previous.time)} after #${previous.seq} (${eventLabel(previous)})`;
}
