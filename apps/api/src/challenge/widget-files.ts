import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHALLENGE_WIDGET_PATH } from '@catlist/contracts';
import type Koa from 'koa';

/**
 * Where pages load the signup challenge's widget from: this server's form pages, and any page on
 * an EMBED_ORIGINS site holding the admin's form snippet. The one URL that never changes.
 */
export const WIDGET_PATH = CHALLENGE_WIDGET_PATH;
const WIDGET_DIR = '/widget/';

/** One file served under /widget/. */
interface WidgetFile {
  body: Buffer;
  /** The same, gzipped once at start (the widget is some 80 KB, a third of that gzipped). */
  gzipped: Buffer;
  type: string;
  /** Immutable (its name holds its content's hash), or revalidated on every use. */
  immutable: boolean;
  etag: string;
}

/** A short hash of `content`, for names and ETags. */
const hashOf = (content: string | Buffer) =>
  createHash('sha256').update(content).digest('base64url').slice(0, 16);

/**
 * The installed `altcha` package's `dist/`, found from its stylesheet (an export every resolver
 * knows; the workers are exported for `import` only).
 */
const ALTCHA_DIST = join(
  dirname(createRequire(import.meta.url).resolve('altcha/altcha.css')),
  '..',
);

/**
 * The loader at WIDGET_PATH: imports the widget (a module, so nothing inline runs), links its
 * stylesheet, and tells it where the PBKDF2 worker is, the one algorithm our challenges use
 * (challenge/signup-challenge.ts). A worker script must come from the page's own origin: on this
 * server's pages it does; on another site's page the worker is a tiny `blob:` script of the
 * page's origin that imports ours.
 */
function loaderSource(names: { script: string; style: string; worker: string }): string {
  return `// catlist: the signup challenge's widget (ALTCHA, external build), and where its parts are.
import './${names.script}';
const style = new URL('./${names.style}', import.meta.url).href;
if (!document.querySelector(\`link[href="\${style}"]\`)) {
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: style }));
}
const worker = new URL('./${names.worker}', import.meta.url);
const sameOrigin = worker.origin === location.origin;
const source = sameOrigin ? worker : URL.createObjectURL(
  new Blob([\`importScripts(\${JSON.stringify(worker.href)});\`], { type: 'text/javascript' }),
);
globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker(source));
`;
}

/**
 * The widget's files, read once from the installed `altcha` package: its external build (no
 * inline styles, no `blob:` workers of its own) under names that hold their content's hash, so
 * they are cached for a year and an upgrade gets new names; and the loader at WIDGET_PATH, whose
 * URL stays the same for pasted snippets, so it is revalidated (ETag) on every use instead.
 */
function readWidgetFiles(): Map<string, WidgetFile> {
  const parts = [
    ['script', 'external/altcha.min.js', 'js', 'text/javascript; charset=utf-8'],
    ['style', 'external/altcha.css', 'css', 'text/css; charset=utf-8'],
    ['worker', 'workers/pbkdf2.js', 'js', 'text/javascript; charset=utf-8'],
  ] as const;
  const files = new Map<string, WidgetFile>();
  const names = { script: '', style: '', worker: '' };
  for (const [part, file, extension, type] of parts) {
    const body = readFileSync(join(ALTCHA_DIST, file));
    const hash = hashOf(body);
    const name = `${part === 'worker' ? 'pbkdf2' : 'altcha'}.${hash}.${extension}`;
    names[part] = name;
    files.set(`${WIDGET_DIR}${name}`, {
      body,
      gzipped: gzipSync(body),
      type,
      immutable: true,
      etag: `"${hash}"`,
    });
  }
  const loader = Buffer.from(loaderSource(names));
  files.set(WIDGET_PATH, {
    body: loader,
    gzipped: gzipSync(loader),
    type: 'text/javascript; charset=utf-8',
    immutable: false,
    etag: `"${hashOf(loader)}"`,
  });
  return files;
}

/**
 * Serves GET/HEAD /widget/… (docs/http-api.md, The signup challenge). Another site's page loads
 * them as modules, which is CORS: each answer names the requesting origin when it is one of
 * EMBED_ORIGINS, and may be embedded cross-origin (CORP), as the widget's files are public.
 */
export function widgetFiles(embedOrigins: readonly string[]): Koa.Middleware {
  const files = readWidgetFiles();
  const allowed = new Set(embedOrigins);
  return async function serveWidget(ctx, next) {
    const file = files.get(ctx.path);
    if (!file || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const origin = ctx.get('Origin');
    ctx.vary('Origin');
    ctx.vary('Accept-Encoding');
    if (allowed.has(origin)) ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set({
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    ctx.type = file.type;
    ctx.etag = file.etag;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    const gzip = ctx.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (gzip) ctx.set('Content-Encoding', 'gzip');
    ctx.body = gzip ? file.gzipped : file.body;
  };
}
