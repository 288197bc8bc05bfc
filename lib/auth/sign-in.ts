// The dashboard's sign-in: a small form that takes the server's token and keeps a value derived
// from it in an HttpOnly cookie. Served by server.ts before the Next.js app.
import type { IncomingMessage, ServerResponse } from "node:http";
import { serialize } from "cookie";
import { OWNER_COOKIE, ownerSessionValue, sameSecret } from "./credentials";
import type { SecuritySettings } from "./settings";

const MAX_FORM_BYTES = 4096;
const SESSION_SECONDS = 30 * 24 * 60 * 60;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only paths on this server: a `next` that leads elsewhere would make the form an open redirect. */
function safeNext(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\") ? raw : "/";
}

function page(res: ServerResponse, status: number, next: string, problem: string | null): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Wakeline</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;background:#0f172a;color:#e2e8f0;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#1e293b;padding:2rem;border-radius:12px;display:grid;gap:.75rem;min-width:20rem}
input,button{font:inherit;padding:.5rem .75rem;border-radius:6px;border:1px solid #475569}
input{background:#0f172a;color:#e2e8f0}button{background:#38bdf8;color:#0f172a;font-weight:600;cursor:pointer}
input:focus-visible,button:focus-visible{outline:3px solid #fbbf24;outline-offset:2px}.problem{color:#fca5a5}</style></head>
<body><main><form method="post" action="/sign-in"><h1>Wakeline</h1>
<label for="token">The server's access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escapeHtml(next)}">
${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ""}
<button type="submit">Sign in</button>
<p>The token is printed when the server starts, or set with WAKELINE_TOKEN.</p></form></main></body></html>`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(html) });
  res.end(html);
}

export async function handleSignIn(req: IncomingMessage, res: ServerResponse, settings: SecuritySettings, url: URL): Promise<void> {
  if (url.pathname === "/sign-out") {
    res.writeHead(303, { location: "/sign-in", "set-cookie": serialize(OWNER_COOKIE, "", { path: "/", httpOnly: true, sameSite: "strict", maxAge: 0 }) });
    return void res.end();
  }
  if (req.method === "GET" || req.method === "HEAD") return page(res, 200, safeNext(url.searchParams.get("next")), null);
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "GET, POST" });
    return void res.end();
  }
  let body = "";
  for await (const chunk of req) {
    body += (chunk as Buffer).toString("utf8");
    if (body.length > MAX_FORM_BYTES) {
      res.writeHead(413, { connection: "close" });
      res.end();
      req.destroy();
      return;
    }
  }
  const form = new URLSearchParams(body);
  const next = safeNext(form.get("next"));
  const token = form.get("token") ?? "";
  if (!settings.token || !sameSecret(token, settings.token)) return page(res, 403, next, "That is not this server's token.");
  res.writeHead(303, {
    location: next,
    "set-cookie": serialize(OWNER_COOKIE, ownerSessionValue(settings.token), { path: "/", httpOnly: true, sameSite: "strict", maxAge: SESSION_SECONDS }),
  });
  res.end();
}
