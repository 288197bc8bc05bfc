"use client";

// Shown when a page fails to render. The message is generic on purpose: details stay in the server log.
export default function PageError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <h1>Something went wrong</h1>
      <p>This page could not be shown. The server log has the details.</p>
      <button type="button" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}
