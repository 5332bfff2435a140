import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

// The same policy the API sends with the SPA, so cross-origin mode is held to it too; the API
// origin must be allowed for fetch.
function csp(apiOrigin: string): string {
  return `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${apiOrigin}; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export interface StaticServer {
  readonly origin: string;
  stop(): Promise<void>;
}

/** Serves a built SPA from `root` on 127.0.0.1:`port`, falling back to index.html like the API. */
export async function startStaticServer(
  root: string,
  port: number,
  apiOrigin: string,
  /** Another policy for the pages (another site's pages, holding catlist's form). */
  policy: string = csp(apiOrigin),
): Promise<StaticServer> {
  const server: Server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, pathname));
    const inside = file.startsWith(root.endsWith(sep) ? root : root + sep);
    let body: Buffer;
    let type: string;
    try {
      if (!inside || pathname.endsWith('/')) throw new Error('not a file');
      body = await readFile(file);
      type = TYPES[extname(file)] ?? 'application/octet-stream';
    } catch {
      body = await readFile(join(root, 'index.html'));
      type = TYPES['.html'] as string;
    }
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Security-Policy': policy,
      'Cache-Control': 'no-cache',
    });
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
