"use client";

// Import of a JSON bundle (as exported from a run) by file picker or by dropping the file here.
import { useId, useState, type DragEvent } from "react";

export interface ImportBundleProps {
  pending: boolean;
  onFile: (file: File) => void;
}

export function ImportBundle({ pending, onFile }: ImportBundleProps) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);

  function onDragOver(event: DragEvent<HTMLDivElement>) {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setDragging(true);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && !pending) onFile(file);
  }

  return (
    <div
      className={dragging ? "drop-zone drop-zone-active" : "drop-zone"}
      data-testid="import-drop-zone"
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p className="drop-hint">Drop a Wakeline JSON bundle here, or choose the file.</p>
      <div className="field">
        <label htmlFor={inputId}>Bundle file</label>
        <input
          id={inputId}
          type="file"
          accept="application/json,.json"
          disabled={pending}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) onFile(file);
            // Choosing the same file again must import it again.
            event.target.value = "";
          }}
        />
      </div>
      {pending && (
        <p className="state state-loading" role="status">
          Importing…
        </p>
      )}
    </div>
  );
}
