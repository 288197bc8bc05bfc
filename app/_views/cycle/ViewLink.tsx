"use client";

// A link to another state of the same view: a real href (open in a new tab, copy link), but a plain
// click changes the view in place through the History API, without reloading the page.
import { usePathname } from "next/navigation";
import type { MouseEvent, ReactNode } from "react";
import { hrefFor, useLocationSearch, type UpdateView } from "./use-view-state";
import type { CycleViewState } from "./view-state";

export interface ViewLinkProps {
  change: Partial<CycleViewState>;
  update: UpdateView;
  current?: boolean;
  className?: string;
  children: ReactNode;
}

export function ViewLink({ change, update, current = false, className, children }: ViewLinkProps) {
  const pathname = usePathname();
  const search = useLocationSearch();
  const href = hrefFor(pathname, search, change);
  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    update(change);
  }
  return (
    <a href={href} onClick={onClick} aria-current={current ? "page" : undefined} className={className}>
      {children}
    </a>
  );
}

/** A row of view links of which one is the current choice. */
export function ViewChoice<K extends string>(props: {
  label: string;
  current: K;
  options: { key: K; label: string; change: Partial<CycleViewState> }[];
  update: UpdateView;
}) {
  return (
    <nav className="segmented" aria-label={props.label}>
      {props.options.map((option) => (
        <ViewLink
          key={option.key}
          change={option.change}
          update={props.update}
          current={option.key === props.current}
          className={option.key === props.current ? "segment segment-current" : "segment"}
        >
          {option.label}
        </ViewLink>
      ))}
    </nav>
  );
}
