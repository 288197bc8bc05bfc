// The three states every data view has besides "here is the data".
import type { ReactNode } from "react";

export function LoadingState({ children = "Loading…" }: { children?: ReactNode }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {children}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

export function ErrorState({ title, error }: { title: string; error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{message}</p>
    </div>
  );
}
