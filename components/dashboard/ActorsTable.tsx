import Link from "next/link";
import type { ActorSummary } from "@/app/_queries/resources";
import { StatusBadge } from "../StatusBadge";

export interface ActorsTableProps {
  actors: ActorSummary[];
  /** The actor the run's diagram shows, and where each actor's diagram is. */
  shownActorId: string | null;
  diagramHref: (actorId: string) => string;
}

/** Each actor of a run with the actor workflow's last recorded state. */
export function ActorsTable({ actors, shownActorId, diagramHref }: ActorsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="actors-table">
        <caption className="visually-hidden">Actors of this run and their current state</caption>
        <thead>
          <tr>
            <th scope="col">Actor</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Generation
            </th>
            <th scope="col">Runner</th>
            <th scope="col" className="num">
              Cycles
            </th>
            <th scope="col" className="num">
              Events
            </th>
            <th scope="col">Diagram</th>
          </tr>
        </thead>
        <tbody>
          {actors.map((actor) => (
            <tr key={actor.actorId} data-testid="actor-row" data-actor-id={actor.actorId}>
              <td className="mono">{actor.actorId}</td>
              <td>{actor.state ? <StatusBadge value={actor.state} /> : <span className="muted">unknown</span>}</td>
              <td className="num">{actor.generation ?? "—"}</td>
              <td className="mono">{actor.runnerId ?? "—"}</td>
              <td className="num">{actor.cycles}</td>
              <td className="num">{actor.eventCount}</td>
              <td>
                {actor.actorId === shownActorId ? (
                  <span className="muted">shown below</span>
                ) : (
                  <Link href={diagramHref(actor.actorId)} scroll={false}>
                    Show <span className="visually-hidden">the diagram of {actor.actorId}</span>
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
