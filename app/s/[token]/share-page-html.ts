// The page shown for a share link that cannot be followed. Plain HTML with its own few styles: it is
// answered by a route handler, outside the app's layout. Every text is escaped.

const TITLES: Record<string, string> = {
  share_link_revoked: "This share link was revoked",
  share_link_expired: "This share link has expired",
  share_link_not_found: "This share link does not exist",
};

const ADVICE: Record<string, string> = {
  share_link_revoked: "Whoever shared it has withdrawn it. Ask them for a new link if you still need this view.",
  share_link_expired: "Links can be given a lifetime when they are created. Ask whoever shared it for a new one.",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function sharePageHtml(status: number, code: string, message: string): string {
  const title = TITLES[code] ?? "This share link cannot be opened";
  const advice = ADVICE[code] ?? (status >= 500 ? "Please try again in a moment." : "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Wakeline</title>
<link rel="icon" href="/favicon.svg">
<style>
  :root { color-scheme: light dark; --bg: #f6f7f9; --surface: #fff; --text: #1b2430; --muted: #5b6778; --border: #d6dce5; --accent: #1d5fbf; --bad: #b42318; }
  @media (prefers-color-scheme: dark) { :root { --bg: #10151c; --surface: #18202a; --text: #e4e9f0; --muted: #9aa7b8; --border: #2e3a48; --accent: #7cb3ff; --bad: #ff8f85; } }
  body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 40rem; margin: 4rem auto; padding: 1.5rem 1.75rem; background: var(--surface); border: 1px solid var(--border); border-radius: 8px; }
  h1 { font-size: 1.4rem; margin: 0 0 0.75rem; color: var(--bad); }
  .muted { color: var(--muted); }
  a { color: var(--accent); }
  a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
</style>
</head>
<body>
<main data-testid="share-link-refused" data-code="${escapeHtml(code)}" data-status="${status}">
  <h1>${escapeHtml(title)}</h1>
  <p>${escapeHtml(message)}</p>
${advice ? `  <p class="muted">${escapeHtml(advice)}</p>\n` : ""}  <p><a href="/">Go to all runs</a></p>
</main>
</body>
</html>
`;
}
