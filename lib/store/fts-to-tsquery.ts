// PostgreSQL answers the same word queries as SQLite's FTS5 index: the query that ftsQuery builds
// (quoted phrases, AND, parentheses, a `label :`/`payload :` column filter, `*` for a prefix) is
// translated here into tsquery text for `to_tsquery('simple', …)`. Phrases split into words as the
// index splits the text (migration 20261202051500_event_search): at ASCII characters other than
// letters and digits. Labels are indexed with weight A, payloads with weight B.
import { StoreError } from "./errors";

const COLUMN_WEIGHTS: Record<string, string> = { label: "A", payload: "B" };
/** Everything except ASCII letters and digits and any non-ASCII character separates words. */
const WORD_SEPARATOR = /[^0-9A-Za-z\u0080-\u{10FFFF}]+/u;

type Token = { kind: "(" | ")" | ":" | "*" | "and" } | { kind: "phrase"; text: string } | { kind: "column"; name: string };

export function ftsToTsquery(fts: string): string {
  const tokens = tokenize(fts);
  let at = 0;
  const peek = () => tokens[at];
  const expect = (kind: Token["kind"]) => {
    if (tokens[at]?.kind !== kind) fail(fts);
    at++;
  };

  const expression = (weight: string): string => {
    const parts = [term(weight)];
    while (peek()?.kind === "and") {
      at++;
      parts.push(term(weight));
    }
    return parts.length === 1 ? parts[0] : parts.join(" & ");
  };

  const term = (weight: string): string => {
    const token = tokens[at++];
    if (!token) fail(fts);
    switch (token.kind) {
      case "(": {
        const inner = expression(weight);
        expect(")");
        return `(${inner})`;
      }
      case "column":
        expect(":");
        return term(COLUMN_WEIGHTS[token.name]);
      case "phrase": {
        const prefix = peek()?.kind === "*";
        if (prefix) at++;
        return phrase(token.text, weight, prefix, fts);
      }
      default:
        return fail(fts);
    }
  };

  const result = expression("");
  if (at !== tokens.length) fail(fts);
  return result;
}

/** Words joined as a phrase (`<->`), each limited to the column's weight; the last one a prefix. */
function phrase(text: string, weight: string, prefix: boolean, fts: string): string {
  const words = text.split(WORD_SEPARATOR).filter((word) => word !== "");
  if (words.length === 0) fail(fts);
  const lexemes = words.map((word, i) => {
    const flags = `${prefix && i === words.length - 1 ? "*" : ""}${weight}`;
    // No quote or backslash is left in a word: both are separators.
    return `'${word}'${flags ? `:${flags}` : ""}`;
  });
  return lexemes.length === 1 ? lexemes[0] : `(${lexemes.join(" <-> ")})`;
}

function tokenize(fts: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < fts.length) {
    const c = fts[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ":" || c === "*") {
      tokens.push({ kind: c });
      i++;
    } else if (c === '"') {
      let text = "";
      for (i++; ; i++) {
        if (i >= fts.length) fail(fts);
        if (fts[i] === '"') {
          if (fts[i + 1] !== '"') break;
          i++;
        }
        text += fts[i];
      }
      i++;
      tokens.push({ kind: "phrase", text });
    } else {
      const word = /^[A-Za-z]+/.exec(fts.slice(i))?.[0];
      if (word === "AND") tokens.push({ kind: "and" });
      else if (word && word in COLUMN_WEIGHTS) tokens.push({ kind: "column", name: word });
      else fail(fts);
      i += word!.length;
    }
  }
  return tokens;
}

function fail(fts: string): never {
  throw new StoreError("invalid_search", `Not a search query this store can translate: ${fts.slice(0, 80)}`);
}
