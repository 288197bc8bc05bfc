// The flow: a neutral list of what a sequence diagram shows. The diagram builder produces it from
// recorded events and the conformance parser produces it from Mermaid text, so the two can be
// compared item by item.
import type { Role } from "@/lib/trace/types";

export interface DiagramOptions {
  /** "default" hides housekeeping events (pings, acks, KV, state changes). */
  detail?: "default" | "full";
  /** "merged" (default): all runner instances share one R / RWS / RWF lifeline each. */
  runners?: "merged" | "split";
  /** Lifelines to hide; events touching them are dropped. */
  hideRoles?: Role[];
  /** Event types to hide. */
  hideTypes?: string[];
  /** One event to mark (replay views). */
  highlightSeq?: number | null;
}

/** Options that only change how a flow is written out, not what it contains. */
export type RenderOptions = Pick<DiagramOptions, "highlightSeq">;

/**
 * Texts (labels, notes, titles) are plain text: a line break is "\n", nothing is escaped.
 * `seq` names the recorded event an item was drawn from (absent for items the diagram adds itself);
 * `line` is the source line when the item was parsed from Mermaid text.
 */
export type FlowItem =
  | { kind: "arrow"; from: string; to: string; label: string; seq?: number; line?: number }
  | { kind: "relation"; from: string; to: string; label: string; seq?: number; line?: number }
  | { kind: "note"; over: string[]; text: string; seq?: number; line?: number }
  | { kind: "block-start"; label: string; seq?: number; line?: number }
  | { kind: "block-end"; seq?: number; line?: number };

export interface Participant {
  /** Lifeline id as written in Mermaid (`R`, `RWS2`, …). */
  id: string;
  /** Display name, plain text. */
  title: string;
}

/** A lifeline of a generated diagram: which role it draws, and which runner instance in split mode. */
export interface DiagramParticipant extends Participant {
  role: Role;
  /** 1-based runner number for split runner lifelines, otherwise null. */
  instance: number | null;
}

export interface Flow<P extends Participant = Participant> {
  participants: P[];
  items: FlowItem[];
}

export type DiagramFlow = Flow<DiagramParticipant>;

export class DiagramError extends Error {
  readonly code: "invalid_options" | "invalid_window" | "invalid_flow";
  constructor(code: DiagramError["code"], message: string) {
    super(message);
    this.name = "DiagramError";
    this.code = code;
  }
}
