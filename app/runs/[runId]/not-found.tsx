import Link from "next/link";

export default function RunNotFound() {
  return (
    <div className="state state-empty" data-testid="not-found">
      <h1>Run not found</h1>
      <p>No recorded run has this id. It may have been deleted, or the link is mistyped.</p>
      <p>
        <Link href="/">Back to all runs</Link>
      </p>
    </div>
  );
}
