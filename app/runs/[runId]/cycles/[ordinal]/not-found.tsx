import Link from "next/link";

export default function CycleNotFound() {
  return (
    <div className="state state-empty" data-testid="not-found">
      <h1>Cycle not found</h1>
      <p>This run has no such cycle for this actor, or the run itself does not exist.</p>
      <p>
        <Link href="/">Back to all runs</Link>
      </p>
    </div>
  );
}
