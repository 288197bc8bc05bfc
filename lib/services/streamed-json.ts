// An incremental reader for one shape of JSON: a top-level object whose long array members (a
// bundle's "events" and "cycles") are handed out element by element, each parsed with JSON.parse,
// so a bundle of any size is read from a byte stream without holding its whole text. Other members
// are small and parsed whole. Syntax errors are JsonSyntaxError naming where they are.

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

export type StreamedItem =
  | { kind: "member"; name: string; value: unknown }
  /** A long member's array begins (its elements follow; an empty one has none). */
  | { kind: "array"; name: string }
  | { kind: "element"; member: string; index: number; value: unknown };

type State = "root" | "key" | "colon" | "value" | "element" | "afterElement" | "afterValue" | "end";

const isSpace = (c: string) => c === " " || c === "\n" || c === "\r" || c === "\t";

/** Feeds text in pieces; `take()` returns the items completed so far. */
export class StreamedJsonReader {
  private state: State = "root";
  private key = "";
  private splitting: { name: string; index: number } | null = null;
  /** Text of the value being read, and its scan state (carried across pieces). */
  private pending = "";
  private depth = 0;
  private inString = false;
  private escaped = false;
  private items: StreamedItem[] = [];
  private afterComma = false;

  constructor(private readonly split: ReadonlySet<string>) {}

  take(): StreamedItem[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.pending !== "" || this.inString) {
        i = this.continueValue(text, i);
        continue;
      }
      if (isSpace(c)) continue;
      switch (this.state) {
        case "root":
          if (c !== "{") throw new JsonSyntaxError("the document: a bundle is a JSON object");
          this.state = "key";
          this.afterComma = false;
          break;
        case "key":
          if (c === "}" && !this.afterComma) this.state = "end";
          else if (c === '"') i = this.continueValue(text, i);
          else throw new JsonSyntaxError(`the document: expected a member name, found "${c}"`);
          break;
        case "colon":
          if (c !== ":") throw new JsonSyntaxError(`the document: expected ":" after "${this.key}"`);
          this.state = "value";
          break;
        case "value":
          if (c === "[" && this.split.has(this.key)) {
            this.splitting = { name: this.key, index: 0 };
            this.items.push({ kind: "array", name: this.key });
            this.state = "element";
            this.afterComma = false;
          } else i = this.continueValue(text, i);
          break;
        case "element":
          if (c === "]" && !this.afterComma) this.endArray();
          else i = this.continueValue(text, i);
          break;
        case "afterElement":
          if (c === ",") {
            this.state = "element";
            this.afterComma = true;
          } else if (c === "]") this.endArray();
          else throw new JsonSyntaxError(`after ${this.splitting!.name}[${this.splitting!.index - 1}]: expected "," or "]", found "${c}"`);
          break;
        case "afterValue":
          if (c === ",") {
            this.state = "key";
            this.afterComma = true;
          } else if (c === "}") this.state = "end";
          else throw new JsonSyntaxError(`the document: expected "," or "}", found "${c}"`);
          break;
        case "end":
          throw new JsonSyntaxError(`the document: unexpected "${c}" after its end`);
      }
    }
  }

  /** The stream has ended: anything unfinished is a document cut short. */
  finish(): void {
    if (this.pending !== "" && this.depth === 0 && !this.inString) this.completeValue();
    if (this.state === "root") throw new JsonSyntaxError("the document is empty; a bundle is a JSON object");
    if (this.state !== "end") throw new JsonSyntaxError(`${this.splitting ? `${this.where()}: ` : ""}the document ends early (is the file cut short?)`);
  }

  private where(): string {
    return this.splitting ? `${this.splitting.name}[${this.splitting.index}]` : "the document";
  }

  private endArray(): void {
    this.splitting = null;
    this.state = "afterValue";
  }

  /** Scans the value under way from `i`; returns the index of its last character consumed. */
  private continueValue(text: string, i: number): number {
    const start = i;
    for (; i < text.length; i++) {
      const c = text[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === "\\") this.escaped = true;
        else if (c === '"') {
          this.inString = false;
          if (this.depth === 0) {
            this.pending += text.slice(start, i + 1);
            this.completeValue();
            return i;
          }
        }
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === "{" || c === "[") this.depth++;
      else if (c === "}" || c === "]") {
        if (this.depth === 0) {
          // The end of a number or literal, and of the container around it.
          this.pending += text.slice(start, i);
          this.completeValue();
          return i - 1;
        }
        this.depth--;
        if (this.depth === 0) {
          this.pending += text.slice(start, i + 1);
          this.completeValue();
          return i;
        }
      } else if (this.depth === 0 && (c === "," || isSpace(c))) {
        this.pending += text.slice(start, i);
        this.completeValue();
        return i - 1;
      }
    }
    this.pending += text.slice(start);
    return i;
  }

  private completeValue(): void {
    const raw = this.pending;
    this.pending = "";
    let value: unknown;
    try {
      value = JSON.parse(raw) as unknown;
    } catch (err) {
      throw new JsonSyntaxError(`${this.state === "key" ? "a member name" : this.where()}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.state === "key") {
      this.key = value as string;
      this.state = "colon";
    } else if (this.state === "value") {
      this.items.push({ kind: "member", name: this.key, value });
      this.state = "afterValue";
    } else if (this.splitting) {
      this.items.push({ kind: "element", member: this.splitting.name, index: this.splitting.index++, value });
      this.state = "afterElement";
    }
  }
}

/** The items of a document read from a stream of text or bytes, a piece at a time. */
export async function* readStreamedJson(source: AsyncIterable<Uint8Array | string>, split: ReadonlySet<string>): AsyncGenerator<StreamedItem> {
  const reader = new StreamedJsonReader(split);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const piece of source) {
    let text: string;
    try {
      text = typeof piece === "string" ? piece : decoder.decode(piece, { stream: true });
    } catch {
      throw new JsonSyntaxError("the document: it is not UTF-8 text");
    }
    reader.feed(text);
    yield* reader.take();
  }
  reader.finish();
  yield* reader.take();
}
