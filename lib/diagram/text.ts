// Text in and out of Mermaid. Inside a flow every text is plain (line breaks are "\n"); only the
// Mermaid writer escapes and only the Mermaid reader decodes, so the two stay exact inverses.
//
// Why each character is escaped (Mermaid 12 sequence diagrams, checked against its parser):
// - `;` ends a statement and `#` ends a label; `#NN;` is Mermaid's own entity syntax.
// - `<`, `>`, `&`, quotes: user text (paths, payloads) must show as text, never as markup.
// - `%`: `%%{…}%%` anywhere in the text is read as a directive and removed.
// - `:` only where Mermaid would misread it: a label starting with `wrap:` / `nowrap:` loses that
//   prefix, and `style…:…#…;` has its last `;` cut off before parsing.

/** Longest label a diagram shows, in characters; longer ones end with an ellipsis. */
export const MAX_LABEL_CHARS = 200;

const BREAK_TAG = /<br\s*\/?>/gi;
const ESCAPED_CHARS = /[#;<>&"'%]/g;
const COLON_SENSITIVE = /wrap|style|classdef/i;
// C0 controls other than "\n" (tabs and CRs are normalised before this runs).
const CONTROL_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f]/g;

/**
 * A label as recorded (engine text, possibly with `<br/>` line breaks) → plain flow text:
 * `<br/>` becomes "\n", whitespace is tidied and very long text is truncated.
 * Any other markup stays as literal text and is escaped when written out.
 */
export function labelToText(label: string, maxChars = MAX_LABEL_CHARS): string {
  const text = normaliseWhitespace(label.replace(BREAK_TAG, "\n"));
  return truncate(text, maxChars);
}

/** Plain flow text → text that is safe after `X->>Y:`, `note over X:` or `critical`. */
export function escapeMermaidText(text: string): string {
  const plain = normaliseWhitespace(text);
  const escapeColons = COLON_SENSITIVE.test(plain);
  const escaped = plain.replace(ESCAPED_CHARS, entity).replace(/:/g, (colon) =>
    escapeColons ? entity(colon) : colon,
  );
  return escaped.replace(/\n/g, "<br/>");
}

const NAMED_ENTITIES: Record<string, string> = {
  quot: '"',
  amp: "&",
  lt: "<",
  gt: ">",
  apos: "'",
  nbsp: " ",
};

// One pass over every form at once, so that an escaped `#` (`#35;`) followed by `59;` decodes to
// the text `#59;` and not to `;`.
const ENCODED_FORMS = /<br\s*\/?>|#(\d{1,7});|#([a-zA-Z]+);|&(lt|gt|amp|quot|apos|nbsp);|&#(\d{1,7});/gi;

/** Mermaid label text → plain text: `<br/>` → "\n", `#59;` / `#quot;` / `&lt;` → the character. */
export function decodeMermaidText(raw: string): string {
  const decoded = raw.replace(
    ENCODED_FORMS,
    (match, mermaidCode?: string, mermaidName?: string, htmlName?: string, htmlCode?: string) => {
      if (match.startsWith("<")) return "\n";
      const code = mermaidCode ?? htmlCode;
      if (code !== undefined) return codePointText(Number(code)) ?? match;
      const name = (mermaidName ?? htmlName ?? "").toLowerCase();
      return NAMED_ENTITIES[name] ?? match;
    },
  );
  return decoded.trim();
}

function entity(char: string): string {
  return `#${char.codePointAt(0)};`;
}

function codePointText(code: number): string | null {
  if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) return null;
  return String.fromCodePoint(code);
}

function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(CONTROL_CHARS, "")
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .trim();
}

function truncate(text: string, maxChars: number): string {
  // Count code points, so that an emoji or other astral character is never cut in half.
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, Math.max(0, maxChars - 1)).join("").trimEnd()}…`;
}
