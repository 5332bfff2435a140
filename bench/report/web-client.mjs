// @ts-check
// The built web client's JS and CSS (apps/web/dist), raw and gzip -9.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newestMtime, newestOutput } from '../lib/build.mjs';
import { ROOT } from '../lib/paths.mjs';

/** @typedef {{ raw: number, gzip: number }} Sizes */
/**
 * @typedef {{ dist: string, builtAt: string, stale: boolean,
 *   files: (Sizes & { file: string })[], js: Sizes, css: Sizes }} WebClient
 */

/**
 * Sizes of the built web client; null when it is not built.
 * @returns {WebClient | null}
 */
export function webClientSizes() {
  const dist = join(ROOT, 'apps/web/dist');
  const assets = join(dist, 'assets');
  if (!existsSync(assets)) return null;
  const files = readdirSync(assets)
    .filter((file) => file.endsWith('.js') || file.endsWith('.css'))
    .map((file) => {
      const bytes = readFileSync(join(assets, file));
      return {
        file: `assets/${file}`,
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
      };
    });
  /** @param {string} ext */
  const total = (ext) =>
    files
      .filter((f) => f.file.endsWith(ext))
      .reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const sources = newestMtime([join(ROOT, 'apps/web/src'), join(ROOT, 'apps/web/index.html')]);
  return {
    dist: relative(ROOT, dist),
    builtAt: new Date(newestOutput(dist)).toISOString(),
    stale: sources > newestOutput(dist),
    files,
    js: total('.js'),
    css: total('.css'),
  };
}

/** @param {WebClient} web */
export function webTable(web) {
  /** @param {number} n */
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const lines = ['| file | raw | gzip -9 |', '|---|---:|---:|'];
  for (const f of web.files) lines.push(`| ${f.file} | ${kib(f.raw)} | ${kib(f.gzip)} |`);
  lines.push(`| **all JS** | **${kib(web.js.raw)}** | **${kib(web.js.gzip)}** |`);
  lines.push(`| **all CSS** | **${kib(web.css.raw)}** | **${kib(web.css.gzip)}** |`);
  return lines.join('\n');
}
