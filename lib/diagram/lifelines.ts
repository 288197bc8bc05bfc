// Which lifeline an event is drawn on. Roles map to the reference ids (A, U, G, R, …); in split
// mode every runner gets its own Runner / Runner WS / Runner Workflow lifelines (R1, RWS1, RWF1 …).
import { ROLES, ROLE_SHORT, ROLE_TITLE, type ParticipantRef, type Role, type TraceEvent } from "@/lib/trace/types";
import { labelToText } from "./text";
import type { DiagramParticipant } from "./types";

const RUNNER_ROLES: ReadonlySet<Role> = new Set<Role>(["Runner", "RunnerWS", "RunnerWorkflow"]);

export function isRunnerRole(role: Role): boolean {
  return RUNNER_ROLES.has(role);
}

/** The participant refs an event is drawn on (sender / note owner first). */
export function eventRefs(event: TraceEvent): ParticipantRef[] {
  return [event.from, event.to].filter((ref): ref is ParticipantRef => ref !== null);
}

/**
 * Numbers runners 1, 2, … in order of first appearance and returns the number of every drawn event
 * that touches a runner lifeline. A runner shows up under several ids (the runner process, its
 * socket, its workflow, the runner id once minted); ids seen on the same event belong to the same
 * runner, since no event links two different runners. The ids are joined over the whole selection
 * first, so a socket seen before the event that ties it to its process still gets the right number.
 */
export function numberRunners(events: readonly TraceEvent[]): Map<number, number> {
  const sameRunner = new DisjointSets();
  const keysBySeq = new Map<number, string[]>();
  for (const event of events) {
    // Phase boundaries carry an owner but are not drawn on a lifeline.
    if (event.kind !== "message" && event.kind !== "relation" && event.kind !== "note") continue;
    const keys = eventRefs(event)
      .filter((ref) => isRunnerRole(ref.role))
      .map((ref) => `${ref.role}:${ref.id}`);
    if (keys.length === 0) continue;
    if (event.runnerId !== null) keys.push(`runner:${event.runnerId}`);
    for (const key of keys.slice(1)) sameRunner.join(keys[0], key);
    keysBySeq.set(event.seq, keys);
  }
  const numberByRunner = new Map<string, number>();
  const numberBySeq = new Map<number, number>();
  for (const [seq, keys] of keysBySeq) {
    const runner = sameRunner.find(keys[0]);
    let runnerNumber = numberByRunner.get(runner);
    if (runnerNumber === undefined) {
      runnerNumber = numberByRunner.size + 1;
      numberByRunner.set(runner, runnerNumber);
    }
    numberBySeq.set(seq, runnerNumber);
  }
  return numberBySeq;
}

/** Union-find over string keys. */
class DisjointSets {
  private readonly parent = new Map<string, string>();

  find(key: string): string {
    let root = key;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root)) root = next;
    // Point every key on the path straight at the root, so later look-ups are short.
    for (let node = key; node !== root; ) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  join(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootB, rootA);
  }
}

export interface Lifeline {
  role: Role;
  instance: number | null;
}

export function lifelineOf(role: Role, runnerNumber: number | undefined, split: boolean): Lifeline {
  const instance = split && isRunnerRole(role) ? (runnerNumber ?? 1) : null;
  return { role, instance };
}

export function lifelineId(lifeline: Lifeline): string {
  const short = ROLE_SHORT[lifeline.role];
  return lifeline.instance === null ? short : `${short}${lifeline.instance}`;
}

/** Declarations for the lifelines in use, in the reference order (runners by number within a role). */
export function participantsFor(used: Iterable<Lifeline>): DiagramParticipant[] {
  const byId = new Map<string, Lifeline>();
  for (const lifeline of used) byId.set(lifelineId(lifeline), lifeline);
  return [...byId.values()]
    .sort(
      (a, b) =>
        ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || (a.instance ?? 0) - (b.instance ?? 0),
    )
    .map((lifeline) => {
      const title = labelToText(ROLE_TITLE[lifeline.role]);
      return {
        id: lifelineId(lifeline),
        title: lifeline.instance === null ? title : `${title} ${lifeline.instance}`,
        role: lifeline.role,
        instance: lifeline.instance,
      };
    });
}

const ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"];

/** "Second runner", "Third runner", …, then "Runner 11". */
export function runnerOrdinalText(runnerNumber: number): string {
  const ordinal = ORDINALS[runnerNumber - 1];
  return ordinal === undefined ? `Runner ${runnerNumber}` : `${ordinal} runner`;
}
