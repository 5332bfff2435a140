// @ts-check
// Building @catlist/contracts and @catlist/api when their sources are newer than their output.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './format.mjs';
import { API_SERVER, ROOT } from './paths.mjs';

/**
 * Newest modification time (ms) of the files under `paths`, skipping build output, dependencies
 * and tests.
 * @param {string[]} paths
 */
export function newestMtime(paths) {
  let newest = 0;
  /** @param {string} path */
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (entry === 'node_modules' || entry === 'dist') continue;
        visit(join(path, entry));
      }
    } else if (!path.endsWith('.test.ts')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

/**
 * Newest modification time under a build output folder (0 when it does not exist).
 * @param {string} dir
 */
export function newestOutput(dir) {
  let newest = 0;
  /** @param {string} path */
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  if (existsSync(dir)) visit(dir);
  return newest;
}

/**
 * Builds the API unless it is up to date: `mode` '0' never builds (and fails when there is no
 * build), '1' always does, 'auto' when a source is newer than the output.
 * @param {'0' | '1' | 'auto'} mode
 */
export function buildIfNeeded(mode) {
  const sources = [
    join(ROOT, 'packages/contracts/src'),
    join(ROOT, 'packages/contracts/package.json'),
    join(ROOT, 'apps/api/src'),
    join(ROOT, 'apps/api/package.json'),
    join(ROOT, 'tsconfig.base.json'),
  ];
  const outputs = Math.min(
    newestOutput(join(ROOT, 'packages/contracts/dist')),
    newestOutput(join(ROOT, 'apps/api/dist')),
  );
  const stale = !existsSync(API_SERVER) || newestMtime(sources) > outputs;
  if (mode === '0') {
    if (!existsSync(API_SERVER)) throw new Error(`${API_SERVER} is missing: run pnpm build`);
    if (stale) log('warning: the API build looks older than its sources (building is off)');
    return;
  }
  if (!stale && mode !== '1') {
    log('API build is up to date');
    return;
  }
  log('building @catlist/contracts and @catlist/api ...');
  const build = spawnSync(
    'pnpm',
    ['--filter', '@catlist/contracts', '--filter', '@catlist/api', 'build'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (build.error || build.status !== 0) {
    throw new Error(`build failed (${build.error?.message ?? `exit ${build.status}`})`);
  }
}
