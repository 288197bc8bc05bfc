"use client";

// Import of a JSON bundle (as exported from a run) by file picker or by dropping the file here.
import { useId, useState, type DragEvent } from "react";
import type { UploadProgress } from "@/app/_queries/fetch-json";

export interface ImportBundleProps {
  pending: boolean;
  /** How much of the file the server has taken (it checks and stores events as they arrive). */
  progress?: UploadProgress | null;
  onFile: (file: File) => void;
}

export function ImportBundle({ pending, progress = null, onFile }: ImportBundleProps) {
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
      {pending && <ImportProgress progress={progress} />}
    </div>
  );
}

function ImportProgress({ progress }: { progress: UploadProgress | null }) {
  const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
  const share = progress && progress.total > 0 ? Math.min(1, progress.sent / progress.total) : null;
  // Once the whole file is sent, the server still stores the cycles and closes the run.
  const text =
    share === null ? "Importing…" : share < 1 ? `Importing… ${Math.floor(share * 100)} % (${megabytes(progress!.sent)} of ${megabytes(progress!.total)} MB)` : "Importing… finishing the run";
  return (
    <div className="import-progress" role="status" data-testid="import-progress">
      <progress max={1} value={share ?? undefined} aria-label="Import progress" />
      <p className="state state-loading">{text}</p>
    </div>
  );
}
