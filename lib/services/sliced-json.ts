// Parsing and checking large JSON documents without holding the event loop: the server that
// imports a bundle also hosts the live engine, whose timers and sockets must keep their turn. Work
// runs in slices of a few milliseconds with a yield to the event loop in between.

/** Yields to the event loop once the current slice has run for `sliceMs`. */
export class Slicer {
  private deadline: number;

  constructor(private readonly sliceMs = 8) {
    this.deadline = performance.now() + sliceMs;
  }

  /** Cheap when the slice has time left; call it often. */
  async pause(): Promise<void> {
    if (performance.now() < this.deadline) return;
    // setImmediate runs after the poll phase: timers and I/O due meanwhile run first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.deadline = performance.now() + this.sliceMs;
  }
}

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Characters scanned between two looks at the clock. */
const SCAN_STEP = 1 << 16;

/** Index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    for (let i = at - 1; text.charCodeAt(i) === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

function parsePart(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new JsonSyntaxError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * JSON.parse for a document that is an object whose members named in `split` hold long arrays (a
 * bundle's events): each element of those arrays is parsed on its own, the rest of the document
 * once with a placeholder per element, with yields in between. Any syntax error is a
 * JsonSyntaxError naming where it is (`events[12]: …`). A document that is not an object is
 * parsed in one go.
 */
export async function parseJsonInSlices(text: string, split: ReadonlySet<string>, slicer = new Slicer()): Promise<unknown> {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  if (text.charCodeAt(start) !== OPEN_OBJECT) return parsePart(text, "the document");

  /** The document with each element of a split array replaced by 0. */
  const skeleton: string[] = [];
  const elements = new Map<string, unknown[]>();
  let copied = 0;
  let depth = 0;
  /** The last string seen at depth 1, and whether a colon followed it (a member name). */
  let lastString: string | null = null;
  let member: string | null = null;
  let previous = 0; // the last non-space character outside strings
  /** The array being split and where its current element starts (-1: between elements). */
  let splitting: { name: string; items: unknown[] } | null = null;
  let elementStart = -1;
  let nextLook = SCAN_STEP;

  const endElement = (end: number) => {
    if (!splitting || elementStart < 0) return;
    splitting.items.push(parsePart(text.slice(elementStart, end), `${splitting.name}[${splitting.items.length}]`));
    skeleton.push(text.slice(copied, elementStart), "0");
    copied = end;
    elementStart = -1;
  };

  for (let i = start; i < text.length; i++) {
    if (i >= nextLook) {
      nextLook = i + SCAN_STEP;
      await slicer.pause();
    }
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (splitting && depth === 2 && elementStart < 0 && c !== COMMA && c !== CLOSE_ARRAY) elementStart = i;
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) throw new JsonSyntaxError(`the document: unterminated string at position ${i}`);
      if (depth === 1) lastString = text.slice(i, end + 1);
      i = end;
      previous = QUOTE;
      continue;
    }
    if (c === COLON && depth === 1 && previous === QUOTE && lastString !== null) {
      member = parsePart(lastString, "a member name") as string;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (c === OPEN_ARRAY && depth === 2 && previous === COLON && member !== null && split.has(member)) {
        splitting = { name: member, items: [] };
        // A member given twice counts once, as JSON.parse takes the last.
        elements.set(member, splitting.items);
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 2 && splitting) {
        endElement(i);
        splitting = null;
      }
      depth--;
      if (depth < 0) throw new JsonSyntaxError(`the document: unexpected "${String.fromCharCode(c)}" at position ${i}`);
    } else if (c === COMMA && depth === 2 && splitting) {
      endElement(i);
    }
    previous = c;
  }
  skeleton.push(text.slice(copied));
  const root = parsePart(skeleton.join(""), "the document") as Record<string, unknown>;
  for (const [name, items] of elements) {
    const placeholders = root[name];
    if (Array.isArray(placeholders) && placeholders.length === items.length) root[name] = items;
  }
  return root;
}
