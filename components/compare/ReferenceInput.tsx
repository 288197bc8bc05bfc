"use client";

// A reference sequence diagram, pasted or read from a `.mmd` file, to check a recording against.
import { useId, useState, type FormEvent } from "react";

export interface ReferenceInputProps {
  onCheck: (referenceText: string, source: string) => void;
}

export function ReferenceInput({ onCheck }: ReferenceInputProps) {
  const ids = useId();
  const [text, setText] = useState("");
  const [source, setSource] = useState("pasted text");
  const [fileError, setFileError] = useState<string | null>(null);

  async function readFile(file: File | undefined) {
    if (!file) return;
    try {
      const content = await file.text();
      setText(content);
      setSource(file.name);
      setFileError(null);
      onCheck(content, file.name);
    } catch {
      setFileError(`${file.name} could not be read.`);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (text.trim() !== "") onCheck(text, source);
  }

  return (
    <form className="reference-input" onSubmit={submit} aria-label="Reference diagram">
      <div className="field">
        <label htmlFor={`${ids}-file`}>Reference file (.mmd)</label>
        <input id={`${ids}-file`} type="file" accept=".mmd,.md,.txt,text/plain" onChange={(event) => void readFile(event.target.files?.[0])} />
        {fileError && (
          <small className="help help-error" role="alert">
            {fileError}
          </small>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-text`}>Or paste the reference diagram (Mermaid)</label>
        <textarea
          id={`${ids}-text`}
          rows={8}
          spellCheck={false}
          value={text}
          placeholder={"sequenceDiagram\n  U->>G: GET /\n  …"}
          onChange={(event) => {
            setText(event.target.value);
            setSource("pasted text");
          }}
        />
      </div>
      <button type="submit" disabled={text.trim() === ""}>
        Check conformance
      </button>
    </form>
  );
}
