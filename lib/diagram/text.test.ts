import { describe, expect, it } from "vitest";
import { decodeMermaidText, escapeMermaidText, labelToText, MAX_LABEL_CHARS } from "./text";

describe("escapeMermaidText", () => {
  it.each([
    [";", "a#59;b"],
    ["#", "a#35;b"],
    ["<", "a#60;b"],
    [">", "a#62;b"],
    ["&", "a#38;b"],
    ['"', "a#34;b"],
    ["'", "a#39;b"],
    ["%", "a#37;b"],
  ])("writes %s as an entity code", (char, expected) => {
    expect(escapeMermaidText(`a${char}b`)).toBe(expected);
  });

  it("keeps line breaks as <br/> and ordinary colons readable", () => {
    expect(escapeMermaidText("Actor state update: Running\nsecond line")).toBe(
      "Actor state update: Running<br/>second line",
    );
  });

  it("escapes colons where Mermaid would read a wrap directive or a style", () => {
    expect(escapeMermaidText("wrap: text")).toBe("wrap#58; text");
    expect(escapeMermaidText("style:#fff;")).toBe("style#58;#35;fff#59;");
  });

  it("turns markup into visible text", () => {
    const escaped = escapeMermaidText("GET /<img src=x onerror=alert(1)>");
    expect(escaped).toBe("GET /#60;img src=x onerror=alert(1)#62;");
    expect(escaped).not.toMatch(/[<>]/);
  });

  it("neutralises a directive hidden in the text", () => {
    expect(escapeMermaidText("x %%{init: {'securityLevel':'loose'}}%% y")).not.toContain("%%");
  });

  it("writes an already escaped-looking text literally, not as the character it names", () => {
    expect(decodeMermaidText(escapeMermaidText("#59;"))).toBe("#59;");
  });

  it("drops control characters and normalises tabs and CRLF", () => {
    expect(escapeMermaidText("a\tb\r\nc\u0000d")).toBe("a b<br/>cd");
  });
});

describe("decodeMermaidText", () => {
  it("decodes Mermaid and HTML entities and <br/> forms", () => {
    expect(decodeMermaidText("a#59;b #quot;q#quot; &lt;x&gt; one<br/>two<br>three<BR />four")).toBe(
      'a;b "q" <x> one\ntwo\nthree\nfour',
    );
  });

  it("leaves unknown entities as they are", () => {
    expect(decodeMermaidText("#bogus; #99999999;")).toBe("#bogus; #99999999;");
  });

  it("is the inverse of escapeMermaidText for awkward text", () => {
    const samples = ["a;b#c", "<script>alert('x')</script>", "100% & more", 'say "hi"', "wrap: x", "line\nbreak", "#35;"];
    for (const sample of samples) expect(decodeMermaidText(escapeMermaidText(sample))).toBe(sample);
  });
});

describe("labelToText", () => {
  it("reads the engine's <br/> as a line break and keeps other markup as text", () => {
    expect(labelToText("No runners available,<br/>Start pending")).toBe("No runners available,\nStart pending");
    expect(labelToText("GET /<b>x</b>")).toBe("GET /<b>x</b>");
  });

  it("truncates very long labels with an ellipsis", () => {
    const text = labelToText("word ".repeat(100));
    expect(Array.from(text)).toHaveLength(MAX_LABEL_CHARS);
    expect(text.endsWith("…")).toBe(true);
    expect(labelToText("short")).toBe("short");
  });

  it("never cuts a character made of two UTF-16 units in half", () => {
    const text = labelToText("😀".repeat(10), 5);
    expect(text).toBe("😀😀😀😀…");
  });
});
