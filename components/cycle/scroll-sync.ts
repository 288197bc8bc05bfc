// Scroll containers that move together (the two diagrams of a comparison): scrolling one scrolls
// the others to the same offset. Browser-only.

export class ScrollSyncGroup {
  private readonly members = new Set<HTMLElement>();
  /** Offsets this group gave a member; its scroll event for them is an echo, not the user. */
  private readonly assigned = new Map<HTMLElement, { left: number; top: number }>();
  private muted = false;

  /**
   * Lets the members move on their own for a few frames (each brought to its own item) before
   * they follow each other again.
   */
  muteFor(frames = 4): void {
    this.muted = true;
    const wait = (left: number) => requestAnimationFrame(() => (left <= 1 ? (this.muted = false) : wait(left - 1)));
    wait(frames);
  }

  join(element: HTMLElement): () => void {
    this.members.add(element);
    const onScroll = () => this.moved(element);
    element.addEventListener("scroll", onScroll, { passive: true });
    // A newcomer takes the position the others are at.
    const other = [...this.members].find((member) => member !== element);
    if (other) this.assign(element, other.scrollLeft, other.scrollTop);
    return () => {
      element.removeEventListener("scroll", onScroll);
      this.members.delete(element);
      this.assigned.delete(element);
    };
  }

  private moved(source: HTMLElement): void {
    if (this.muted) return;
    const echo = this.assigned.get(source);
    if (echo) {
      this.assigned.delete(source);
      if (Math.abs(echo.left - source.scrollLeft) < 1 && Math.abs(echo.top - source.scrollTop) < 1) return;
    }
    for (const member of this.members) {
      if (member !== source) this.assign(member, source.scrollLeft, source.scrollTop);
    }
  }

  private assign(member: HTMLElement, left: number, top: number): void {
    const before = { left: member.scrollLeft, top: member.scrollTop };
    member.scrollLeft = left;
    member.scrollTop = top;
    // Read back: the browser clamps to what the member can scroll.
    const after = { left: member.scrollLeft, top: member.scrollTop };
    if (after.left !== before.left || after.top !== before.top) this.assigned.set(member, after);
  }
}
