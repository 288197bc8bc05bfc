/** How to read the sequence diagrams; collapsed by default. */
export function DiagramLegend() {
  return (
    <details className="legend">
      <summary>How to read this diagram</summary>
      <dl>
        <dt>Lifelines</dt>
        <dd>
          One column per participant, always in the same order: API, User, Gateway, Runner, Runner WS, Runner
          Workflow, Actor Workflow, Serverless, Serverless Endpoint.
        </dd>
        <dt>Solid arrows</dt>
        <dd>A message, drawn when it was delivered. Time runs from top to bottom.</dd>
        <dt>Arrows without a label</dt>
        <dd>The message above, relayed unchanged one hop further (for example Runner WS passing a command on).</dd>
        <dt>Dotted line</dt>
        <dd>Not a message but a relation: &ldquo;Same process&rdquo; means the endpoint started the runner itself.</dd>
        <dt>Notes</dt>
        <dd>What a participant decided or noticed at that moment, such as &ldquo;Allocate&rdquo; or &ldquo;Deferred wake&rdquo;.</dd>
        <dt>Critical boxes</dt>
        <dd>Phases the engine opened and closed itself, such as &ldquo;actor allocation&rdquo;; they can nest.</dd>
        <dt>Detail</dt>
        <dd>
          The default view hides protocol housekeeping (pings, acknowledgements, KV traffic and state changes);
          the full view shows every recorded event.
        </dd>
      </dl>
    </details>
  );
}
