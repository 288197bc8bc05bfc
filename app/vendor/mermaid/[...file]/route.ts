// Mermaid's own ES module build, served as it is installed (see components/mermaid-module.ts for why
// the browser imports it rather than a bundled copy): /vendor/mermaid/<version>/<file under dist/>.
// Only the installed version is answered, so a URL's content never changes and may be cached for good.
import fs from "node:fs/promises";
import path from "node:path";
import { MERMAID_VERSION } from "@/components/mermaid-module";
import { MERMAID_DIST as DIST } from "@/components/mermaid-preloads";

function notFound(): Response {
  return new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
}

export async function GET(_request: Request, { params }: { params: Promise<{ file: string[] }> }): Promise<Response> {
  const [version, ...rest] = (await params).file;
  const relative = rest.join("/");
  // The ES module files only (no source maps, no types), and nothing outside dist/.
  if (version !== MERMAID_VERSION || !/^(?:mermaid\.esm\.min\.mjs|chunks\/mermaid\.esm\.min\/[\w.-]+\.mjs)$/.test(relative)) return notFound();
  const file = path.join(DIST, relative);
  if (!file.startsWith(DIST + path.sep)) return notFound();
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    return notFound();
  }
  return new Response(new Uint8Array(body), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" },
  });
}
