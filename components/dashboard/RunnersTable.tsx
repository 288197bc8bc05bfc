import { formatDuration } from "../format";
import { StatusBadge } from "../StatusBadge";
import type { RunnerSummary } from "./runners";

/** Each runner of a run: where it stands at the end of the recording and the actors on it. */
export function RunnersTable({ runners }: { runners: RunnerSummary[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="runners-table">
        <caption className="visually-hidden">Runners of this run and their current state</caption>
        <thead>
          <tr>
            <th scope="col">Runner</th>
            <th scope="col">State</th>
            <th scope="col">Actors on it</th>
            <th scope="col" className="num">
              Actors started
            </th>
            <th scope="col" className="num">
              First seen
            </th>
            <th scope="col" className="num">
              Last seen
            </th>
            <th scope="col" className="num">
              Events
            </th>
          </tr>
        </thead>
        <tbody>
          {runners.map((runner) => (
            <tr key={runner.runnerId} data-testid="runner-row" data-runner-id={runner.runnerId}>
              <td className="mono">{runner.runnerId}</td>
              <td>
                <StatusBadge value={runner.state} />
              </td>
              <td className="mono">{runner.actors.length === 0 ? <span className="muted">none</span> : runner.actors.join(", ")}</td>
              <td className="num">{runner.placements}</td>
              <td className="num">{formatDuration(runner.firstTime)}</td>
              <td className="num">{formatDuration(runner.lastTime)}</td>
              <td className="num">{runner.eventCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
