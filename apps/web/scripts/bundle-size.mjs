#!/usr/bin/env node
// Prints what the built page loads (apps/web/dist), raw, gzip and brotli, with React + ReactDOM
// split from everything else (our code, the shared schemas, the API client). Run after the build.
// Usage: node scripts/bundle-size.mjs [distDir] [--json]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// The chunk vite.config.ts puts react, react-dom and scheduler in.
const REACT_CHUNK = /^assets\/react-[\w-]+\.js$/;
/** Goal from issue 7 for everything but React + ReactDOM, in gzip bytes. */
export const OTHER_JS_BUDGET_GZIP = 15 * 1024;
/** The build `pnpm build` makes. */
export const DEFAULT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** @typedef {{ raw: number, gzip: number, brotli: number }} Size */

/** @param {Buffer} bytes @returns {Size} */
function sizeOf(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** @param {Size[]} sizes @returns {Size} */
function total(sizes) {
  return sizes.reduce(
    (sum, size) => ({
      raw: sum.raw + size.raw,
      gzip: sum.gzip + size.gzip,
      brotli: sum.brotli + size.brotli,
    }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

/** Sizes of the JS and CSS that `dist/index.html` makes the browser fetch up front. */
export function measureBundle(dist = DEFAULT_DIST) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  // The entry script, its modulepreloads and the stylesheets.
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => /** @type {string} */ (match[1]),
  );
  const files = [...new Set(assets)].map((file) => ({
    file,
    ...sizeOf(readFileSync(join(dist, file))),
  }));
  return {
    files,
    reactJs: total(files.filter((f) => REACT_CHUNK.test(f.file))),
    otherJs: total(files.filter((f) => f.file.endsWith('.js') && !REACT_CHUNK.test(f.file))),
    css: total(files.filter((f) => f.file.endsWith('.css'))),
  };
}

function main() {
  const args = process.argv.slice(2);
  const report = measureBundle(resolve(args.find((arg) => !arg.startsWith('--')) ?? DEFAULT_DIST));
  if (args.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    /** @param {number} n */
    const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
    /** @param {string} label @param {Size} size */
    const line = (label, size) =>
      `${label.padEnd(40)}${kb(size.raw)}${kb(size.gzip)}${kb(size.brotli)}`;
    console.log(
      `${''.padEnd(40)}${'raw'.padStart(11)}${'gzip -9'.padStart(11)}${'brotli'.padStart(11)}`,
    );
    for (const f of report.files) console.log(line(f.file, f));
    console.log('');
    console.log(line('React + ReactDOM JS', report.reactJs));
    console.log(line('everything else JS', report.otherJs));
    console.log(line('CSS', report.css));
    const verdict = report.otherJs.gzip < OTHER_JS_BUDGET_GZIP ? 'within' : 'OVER';
    console.log(
      `\neverything else JS is ${verdict} the ${kb(OTHER_JS_BUDGET_GZIP).trim()} gzip goal`,
    );
  }
  if (report.reactJs.raw === 0) {
    console.error('No React chunk found: did the codeSplitting group in vite.config.ts change?');
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
