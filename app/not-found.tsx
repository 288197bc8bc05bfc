import Link from "next/link";

export default function NotFound() {
  return (
    <div className="state state-empty" data-testid="not-found">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/">Back to all runs</Link>
      </p>
    </div>
  );
}
