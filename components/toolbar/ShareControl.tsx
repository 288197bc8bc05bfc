"use client";

// "Share": stores the page's current address (path and query hold the whole view) as a short link,
// with an optional lifetime, and lets the link be copied or revoked.
import { useMutation } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { CopyButton } from "../CopyButton";
import { formatTimestamp } from "../format";
import { createShareLink, LINK_LIFETIMES, revokeShareLink, type SharedLink } from "./share-api";

function currentView(): string {
  return `${window.location.pathname}${window.location.search}`;
}

/** Whether a stored target is the view at `pathname` + `search` (query compared in one encoding). */
function showsView(target: string, pathname: string, search: string): boolean {
  const url = new URL(target, "http://view.invalid");
  return url.pathname === pathname && url.searchParams.toString() === search;
}

export function ShareControl() {
  const panelId = useId();
  const lifetimeId = useId();
  const urlId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [lifetimeIndex, setLifetimeIndex] = useState(0);
  const [link, setLink] = useState<SharedLink | null>(null);
  // Re-rendered when the view's URL changes, to tell when a created link no longer matches it.
  const pathname = usePathname();
  const search = useSearchParams().toString();

  const create = useMutation({ mutationFn: createShareLink, onSuccess: setLink });
  const revoke = useMutation({ mutationFn: revokeShareLink, onSuccess: setLink });

  function close() {
    setOpen(false);
    toggleRef.current?.focus();
  }

  function onPanelKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape") {
      event.stopPropagation();
      close();
    }
  }

  const absoluteUrl = link ? `${window.location.origin}${link.url}` : "";
  const stale = link !== null && link.revokedAt === null && !showsView(link.target, pathname, search);

  return (
    <div className="share-control">
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => (open ? close() : setOpen(true))}
      >
        Share
      </button>
      {open && (
        <div id={panelId} className="share-panel" role="group" aria-label="Share this view" onKeyDown={onPanelKeyDown}>
          <p className="share-intro">
            A short link that opens exactly this view (the diagram, replay position, selection, detail level and
            filters) for anyone who has it.
          </p>
          <div className="share-create">
            <div className="field">
              <label htmlFor={lifetimeId}>Link lifetime</label>
              <select id={lifetimeId} value={lifetimeIndex} onChange={(event) => setLifetimeIndex(Number(event.target.value))}>
                {LINK_LIFETIMES.map((option, index) => (
                  <option key={option.label} value={index}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              disabled={create.isPending}
              onClick={() => {
                revoke.reset();
                create.mutate({ path: currentView(), expiresInSeconds: LINK_LIFETIMES[lifetimeIndex].seconds });
              }}
            >
              {create.isPending ? "Creating link…" : "Create link"}
            </button>
          </div>
          {create.isError && (
            <p className="form-error" role="alert">
              The link could not be created: {create.error.message}
            </p>
          )}
          {link && (
            <div className="share-result" data-testid="share-result" data-token={link.token}>
              <div className="field">
                <label htmlFor={urlId}>Share link</label>
                <input id={urlId} readOnly value={absoluteUrl} onFocus={(event) => event.currentTarget.select()} />
              </div>
              {link.revokedAt === null ? (
                <>
                  <CopyButton text={absoluteUrl} label="Copy link" />
                  <button type="button" className="button-secondary" disabled={revoke.isPending} onClick={() => revoke.mutate(link.token)}>
                    {revoke.isPending ? "Revoking…" : "Revoke link"}
                  </button>
                  <p className="muted share-expiry">
                    {link.expiresAt === null ? "This link never expires." : `This link expires on ${formatTimestamp(link.expiresAt)}.`}
                  </p>
                </>
              ) : (
                <p className="share-revoked" role="status">
                  Link revoked on {formatTimestamp(link.revokedAt)}: opening it now says it was revoked.
                </p>
              )}
              {revoke.isError && (
                <p className="form-error" role="alert">
                  The link could not be revoked: {revoke.error.message}
                </p>
              )}
              {stale && (
                <p className="muted" role="note">
                  The view has changed since this link was made; create a new link to share what you see now.
                </p>
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
