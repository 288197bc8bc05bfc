/** The Wakeline mark: a lifeline that wakes up (same drawing as public/favicon.svg). */
export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg aria-hidden="true" width={size} height={size} viewBox="0 0 32 32" focusable="false">
      <rect width="32" height="32" rx="7" fill="#1f3a5f" />
      <path
        d="M4 20h6l3-9 5 14 3-9h7"
        fill="none"
        stroke="#7dd3fc"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <circle cx="24" cy="8" r="2.6" fill="#fbbf24" />
    </svg>
  );
}
