// A GET the engine makes to a user-configured URL (a pool's serverless `/start`): through the
// outbound guard (checked on the address actually connected to), never following redirects, and
// abortable. The body is the raw response stream, for server-sent events.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { OutboundGuard } from "../auth/outbound";

export interface OutboundResponse {
  status: number;
  contentType: string;
  body: IncomingMessage;
  text(limit: number): Promise<string>;
}

export function outboundGet(raw: string, headers: Record<string, string>, signal: AbortSignal, guard: OutboundGuard | undefined): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = guard ? guard.checkUrl(raw) : new URL(raw);
    } catch (err) {
      return reject(err);
    }
    const client = url.protocol === "https:" ? https : http;
    const req = client.request(url, { method: "GET", headers, signal, lookup: guard?.lookup() }, (res) => {
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers["content-type"] ?? ""),
        body: res,
        async text(limit) {
          let text = "";
          for await (const chunk of res) {
            text += (chunk as Buffer).toString("utf8");
            if (text.length >= limit) break;
          }
          res.destroy();
          return text.slice(0, limit);
        },
      });
    });
    req.on("error", reject);
    req.end();
  });
}
