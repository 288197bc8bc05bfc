// Lifelines are compared by role, not by id: a split diagram draws runner 2 as `R2` / "Runner 2",
// a reference as `R` / "Runner", and both mean the Runner role.
import { ROLES, ROLE_SHORT, ROLE_TITLE, type Role } from "@/lib/trace/types";
import type { Participant } from "@/lib/diagram";

const normaliseTitle = (title: string) =>
  title
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();

const ROLE_BY_TITLE = new Map<string, Role>(ROLES.map((role) => [normaliseTitle(ROLE_TITLE[role]), role]));
const ROLE_BY_SHORT = new Map<string, Role>(ROLES.map((role) => [ROLE_SHORT[role], role]));

/**
 * A function from lifeline id to a comparable key: the role when the id or its title names one
 * (an instance number at the end is ignored), else the id itself.
 */
export function lifelineKeys(participants: readonly Participant[] = []): (id: string) => string {
  const titleById = new Map(participants.map((participant) => [participant.id, participant.title]));
  const cache = new Map<string, string>();
  return (id) => {
    let key = cache.get(id);
    if (key === undefined) {
      key = roleOf(id, titleById.get(id)) ?? `lifeline:${id}`;
      cache.set(id, key);
    }
    return key;
  };
}

function roleOf(id: string, title: string | undefined): Role | undefined {
  if (title !== undefined) {
    const byTitle = ROLE_BY_TITLE.get(normaliseTitle(title).replace(/\s+\d+$/, ""));
    if (byTitle !== undefined) return byTitle;
  }
  return ROLE_BY_SHORT.get(id) ?? ROLE_BY_SHORT.get(id.replace(/\d+$/, ""));
}
