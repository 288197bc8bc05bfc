/** A run status or cycle outcome as a coloured pill; the word itself carries the meaning. */
export function StatusBadge({ value }: { value: string }) {
  return <span className={`badge badge-${value.replace(/[^a-z-]/gi, "")}`}>{value}</span>;
}
