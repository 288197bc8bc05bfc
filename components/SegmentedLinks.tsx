import Link from "next/link";

export interface SegmentOption {
  key: string;
  label: string;
  href: string;
}

/** A row of links of which one is the current choice (detail level, actor…). */
export function SegmentedLinks({ label, options, current }: { label: string; options: SegmentOption[]; current: string }) {
  return (
    <nav className="segmented" aria-label={label}>
      {options.map((option) => (
        <Link
          key={option.key}
          href={option.href}
          aria-current={option.key === current ? "page" : undefined}
          className={option.key === current ? "segment segment-current" : "segment"}
          scroll={false}
        >
          {option.label}
        </Link>
      ))}
    </nav>
  );
}
