"use client";

// The keyboard shortcuts, in a dialog that `?` opens anywhere (except while typing) and Escape
// closes. A button in the page header opens it too.
import { useCallback, useEffect, useId, useRef } from "react";

interface Shortcut {
  keys: string[];
  what: string;
}

const SECTIONS: { title: string; shortcuts: Shortcut[] }[] = [
  {
    title: "Anywhere",
    shortcuts: [
      { keys: ["?"], what: "Show these shortcuts" },
      { keys: ["Esc"], what: "Close this dialog or the share panel" },
      { keys: ["Tab"], what: "Move through the controls, then the diagram's arrows and notes" },
    ],
  },
  {
    title: "Cycle view: replay",
    shortcuts: [
      { keys: ["←", "→"], what: "One step back or forward" },
      { keys: ["Space"], what: "Play or pause" },
      { keys: ["Home"], what: "First step" },
      { keys: ["End"], what: "Everything (the end of the replay)" },
    ],
  },
  {
    title: "Cycle view: diagram",
    shortcuts: [
      { keys: ["Enter"], what: "Select the focused arrow or note (Space works too)" },
      { keys: ["+"], what: "Zoom in" },
      { keys: ["−"], what: "Zoom out" },
      { keys: ["0"], what: "Actual size (100%)" },
      { keys: ["W"], what: "Fit to width" },
      { keys: ["P"], what: "Fit the whole diagram" },
      { keys: ["Ctrl", "wheel"], what: "Zoom around the pointer (or pinch on a trackpad); drag to pan" },
    ],
  },
];

/** Keys typed into a field are text, not shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select") !== null;
}

export function KeyboardHelp() {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const opener = useRef<HTMLElement | null>(null);

  const open = useCallback(() => {
    const dialog = dialogRef.current;
    if (!dialog || dialog.open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
  }, []);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) return;
      event.preventDefault();
      open();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);

  return (
    <>
      <button type="button" className="button-secondary shortcuts-button" aria-keyshortcuts="?" onClick={open} data-testid="shortcuts-button">
        Shortcuts <kbd aria-hidden="true">?</kbd>
      </button>
      <dialog
        ref={dialogRef}
        className="shortcut-help"
        aria-labelledby={titleId}
        data-testid="shortcut-help"
        onClose={() => opener.current?.focus()}
        onClick={(event) => {
          // A click on the backdrop (the dialog box itself, outside its content) closes it.
          if (event.target === event.currentTarget) event.currentTarget.close();
        }}
      >
        <div className="shortcut-help-body">
          <h2 id={titleId}>Keyboard shortcuts</h2>
          {SECTIONS.map((section) => (
            <section key={section.title} aria-label={section.title}>
              <h3>{section.title}</h3>
              <dl className="shortcut-list">
                {section.shortcuts.map((shortcut) => (
                  <div key={shortcut.what}>
                    <dt>
                      {shortcut.keys.map((key, index) => (
                        <span key={key}>
                          {index > 0 && " "}
                          <kbd>{key}</kbd>
                        </span>
                      ))}
                    </dt>
                    <dd>{shortcut.what}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <form method="dialog">
            <button type="submit" autoFocus>
              Close
            </button>
          </form>
        </div>
      </dialog>
    </>
  );
}
