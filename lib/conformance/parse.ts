// Mermaid sequence diagram text → flow items: the subset the reference diagrams (and our own
// output) use. Anything else is reported with its line rather than silently skipped, so a
// reference that cannot be read never passes as "nothing expected".
import { decodeMermaidText, type FlowItem, type Participant } from "@/lib/diagram";
import { ConformanceError } from "./errors";

export interface ParsedSequence {
  participants: Participant[];
  items: FlowItem[];
}

const ID = "([A-Za-z0-9_]+)";
const PARTICIPANT = new RegExp(`^(?:participant|actor)\\s+${ID}(?:\\s+as\\s+(.*))?$`, "i");
const NOTE = new RegExp(`^note\\s+(?:over|left of|right of)\\s+${ID}(?:\\s*,\\s*${ID})?\\s*:(.*)$`, "i");
// Longest arrow forms first; `-->` and `->` (no arrow head) are relations, the rest messages.
const MESSAGE = new RegExp(`^${ID}\\s*(-->>|->>|-->|->|--x|-x|--\\)|-\\))\\s*[+-]?\\s*${ID}\\s*:(.*)$`);
const CRITICAL = /^critical(?:\s+(.*))?$/i;
const RECT = /^rect(?:\s.*)?$/i;
const END = /^end$/i;
const HEADER = /^sequenceDiagram$/;
const ENTITY = /#\w+;/g;

type OpenBlock = { kind: "critical" | "rect"; line: number };

export function parseMermaidSequence(text: string): ParsedSequence {
  const lines = text.split(/\r\n?|\n/);
  const participants: Participant[] = [];
  const declare = (id: string, title: string) => {
    if (!participants.some((participant) => participant.id === id)) participants.push({ id, title });
  };
  const items: FlowItem[] = [];
  const blocks: OpenBlock[] = [];
  let sawHeader = false;

  for (let index = skipFrontmatter(lines); index < lines.length; index++) {
    const line = index + 1;
    let statement = lines[index].trim();
    if (statement === "" || statement.startsWith("%%")) continue;
    // Mermaid accepts `;` as a statement end; anywhere else a raw `;` would split the statement.
    if (statement.endsWith(";") && !/#\w+;$/.test(statement)) statement = statement.slice(0, -1).trimEnd();
    if (statement.replace(ENTITY, "").includes(";")) {
      throw new ConformanceError("parse_error", "a raw `;` splits a Mermaid statement; write it as `#59;`", line);
    }
    if (!sawHeader) {
      if (!HEADER.test(statement)) {
        throw new ConformanceError("parse_error", `expected \`sequenceDiagram\`, found ${quote(statement)}`, line);
      }
      sawHeader = true;
      continue;
    }

    let match: RegExpMatchArray | null;
    if ((match = statement.match(PARTICIPANT))) {
      declare(match[1], match[2] === undefined ? match[1] : decodeMermaidText(match[2]));
    } else if ((match = statement.match(NOTE))) {
      const over = match[2] === undefined || match[2] === match[1] ? [match[1]] : [match[1], match[2]];
      over.forEach((id) => declare(id, id));
      items.push({ kind: "note", over, text: decodeMermaidText(match[3]), line });
    } else if ((match = statement.match(MESSAGE))) {
      const [, from, arrow, to, label] = match;
      declare(from, from);
      declare(to, to);
      const kind = arrow === "-->" || arrow === "->" ? "relation" : "arrow";
      items.push({ kind, from, to, label: decodeMermaidText(label), line });
    } else if ((match = statement.match(CRITICAL))) {
      blocks.push({ kind: "critical", line });
      items.push({ kind: "block-start", label: decodeMermaidText(match[1] ?? ""), line });
    } else if (RECT.test(statement)) {
      // Highlight rectangles only colour the diagram; they are not part of the flow.
      blocks.push({ kind: "rect", line });
    } else if (END.test(statement)) {
      const block = blocks.pop();
      if (block === undefined) throw new ConformanceError("parse_error", "`end` without an open block", line);
      if (block.kind === "critical") items.push({ kind: "block-end", line });
    } else {
      throw new ConformanceError("parse_error", `unsupported statement ${quote(statement)}`, line);
    }
  }

  if (!sawHeader) throw new ConformanceError("parse_error", "no `sequenceDiagram` header", null);
  const unclosed = blocks.at(-1);
  if (unclosed !== undefined) {
    throw new ConformanceError("parse_error", `block opened here is never closed with \`end\``, unclosed.line);
  }
  return { participants, items };
}

/** Index of the first line after a `---` … `---` frontmatter block (0 when there is none). */
function skipFrontmatter(lines: readonly string[]): number {
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first < 0 || lines[first].trim() !== "---") return 0;
  const close = lines.findIndex((line, index) => index > first && line.trim() === "---");
  if (close < 0) throw new ConformanceError("parse_error", "frontmatter `---` is never closed", first + 1);
  return close + 1;
}

function quote(statement: string): string {
  const short = statement.length > 60 ? `${statement.slice(0, 57)}…` : statement;
  return `\`${short}\``;
}
