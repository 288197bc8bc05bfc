"use client";

// Owner-only parts of a run's page: its share links (expiry, status, revoke) and deleting the run.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatTimestamp } from "@/components/format";
import { ErrorState, LoadingState } from "@/components/QueryStates";
import type { RunInfo } from "@/lib/trace/types";
import { useIsOwner } from "../_queries/access";
import { deleteRun, housekeepingQueries, revokeShareLink } from "../_queries/housekeeping";

export function RunHousekeeping({ run }: { run: RunInfo }) {
  const owner = useIsOwner();
  if (!owner) return null;
  return (
    <>
      <ShareLinksPanel runId={run.id} />
      <DeleteRun run={run} />
    </>
  );
}

function ShareLinksPanel({ runId }: { runId: string }) {
  const queryClient = useQueryClient();
  const links = useQuery(housekeepingQueries.shareLinks(runId));
  const revoke = useMutation({
    mutationFn: revokeShareLink,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: housekeepingQueries.shareLinks(runId).queryKey }),
  });
  return (
    <section aria-labelledby="share-links-heading">
      <h2 id="share-links-heading">Share links</h2>
      {links.isPending && <LoadingState>Loading share links…</LoadingState>}
      {links.isError && <ErrorState title="The share links could not be loaded." error={links.error} />}
      {links.data?.length === 0 && <p>No share link has been made for this run.</p>}
      {links.data && links.data.length > 0 && (
        <table className="data-table" data-testid="share-links">
          <thead>
            <tr>
              <th scope="col">Link</th>
              <th scope="col">View</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {links.data.map((link) => (
              <tr key={link.token} data-testid="share-link-row" data-token={link.token}>
                <td className="mono">{link.url}</td>
                <td className="mono">{link.target}</td>
                <td>{formatTimestamp(link.createdAt)}</td>
                <td>{link.expiresAt ? formatTimestamp(link.expiresAt) : "never"}</td>
                <td data-testid="share-link-status">{link.status}</td>
                <td>
                  {link.status === "active" && (
                    <button
                      type="button"
                      onClick={() => revoke.mutate(link.token)}
                      disabled={revoke.isPending}
                      aria-label={`Revoke ${link.url}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.isError && <ErrorState title="The link could not be revoked." error={revoke.error} />}
    </section>
  );
}

function DeleteRun({ run }: { run: RunInfo }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteRun(run.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ["runs", run.id] });
      await queryClient.invalidateQueries({ queryKey: ["runs", "list"] });
      router.push("/");
    },
  });
  if (run.status === "running") {
    return <p className="muted">This run is still recording; it can be deleted once it has ended.</p>;
  }
  return (
    <section aria-labelledby="delete-run-heading">
      <h2 id="delete-run-heading">Delete</h2>
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          Delete this run…
        </button>
      ) : (
        <div role="alertdialog" aria-labelledby="delete-run-question" className="confirm">
          <p id="delete-run-question">
            Delete run <span className="mono">{run.name}</span> with its {run.eventCount} events, cycles and share links? This cannot be
            undone.
          </p>
          <button type="button" onClick={() => remove.mutate()} disabled={remove.isPending}>
            {remove.isPending ? "Deleting…" : "Delete for good"}
          </button>{" "}
          <button type="button" onClick={() => setConfirming(false)} disabled={remove.isPending}>
            Cancel
          </button>
        </div>
      )}
      {remove.isError && <ErrorState title="The run could not be deleted." error={remove.error} />}
    </section>
  );
}
