// Which recorded events a diagram shows, given the view options.
import { ROLES, type Role, type TraceEvent } from "@/lib/trace/types";
import { DiagramError, type DiagramOptions } from "./types";

export interface ResolvedOptions {
  full: boolean;
  split: boolean;
  hiddenRoles: ReadonlySet<Role>;
  hiddenTypes: ReadonlySet<string>;
  highlightSeq: number | null;
}

/** Checks options that may come from a URL or a CLI flag; unknown values are a coded error. */
export function resolveOptions(options: DiagramOptions = {}): ResolvedOptions {
  const { detail = "default", runners = "merged", hideRoles = [], hideTypes = [] } = options;
  if (detail !== "default" && detail !== "full") {
    throw new DiagramError("invalid_options", `detail must be "default" or "full", not ${JSON.stringify(detail)}`);
  }
  if (runners !== "merged" && runners !== "split") {
    throw new DiagramError("invalid_options", `runners must be "merged" or "split", not ${JSON.stringify(runners)}`);
  }
  const unknownRole = hideRoles.find((role) => !(ROLES as readonly string[]).includes(role));
  if (unknownRole !== undefined) {
    throw new DiagramError("invalid_options", `unknown role ${JSON.stringify(unknownRole)} (roles: ${ROLES.join(", ")})`);
  }
  const highlightSeq = options.highlightSeq ?? null;
  if (highlightSeq !== null && !Number.isFinite(highlightSeq)) {
    throw new DiagramError("invalid_options", "highlightSeq must be a number");
  }
  return {
    full: detail === "full",
    split: runners === "split",
    hiddenRoles: new Set(hideRoles),
    hiddenTypes: new Set(hideTypes),
    highlightSeq,
  };
}

/**
 * Whether an event is drawn. Phase boundaries are never hidden by lifeline (they have none);
 * a note stays when its own lifeline is shown, even if the second lifeline it spans is hidden.
 */
export function isVisible(event: TraceEvent, options: ResolvedOptions): boolean {
  if (event.housekeeping && !options.full) return false;
  if (options.hiddenTypes.has(event.type)) return false;
  const shown = (role: Role) => !options.hiddenRoles.has(role);
  switch (event.kind) {
    case "message":
    case "relation":
      return event.from !== null && event.to !== null && shown(event.from.role) && shown(event.to.role);
    case "note":
      return event.from !== null && shown(event.from.role);
    case "phase-start":
    case "phase-end":
      return true;
    default:
      // Rows written by a newer recorder may carry kinds this version does not draw.
      return false;
  }
}
