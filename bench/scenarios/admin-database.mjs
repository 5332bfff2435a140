// @ts-check
// The seeded SQLite file the admin group runs on: copied from the cache when one seeded by this
// SEED_VERSION for the built migrations is there, otherwise migrated by the real server, seeded,
// and cached.
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { fixed, int, log } from '../lib/format.mjs';
import { API_SERVER, ROOT } from '../lib/paths.mjs';
import { startServer, stopServer } from '../lib/servers.mjs';
import { SEED_VERSION, seedSubscribers } from '../seed-subscribers.mjs';

/**
 * @typedef {{ path: string, source: 'cache' | 'seeded', cached: string | null,
 *   seconds: number }} AdminDatabase
 */

/**
 * A fresh copy of the seeded list in `dir/admin.db`.
 * @param {import('../lib/options.mjs').Config} config
 * @param {string} dir
 * @param {import('../lib/servers.mjs').Server[]} servers   every server started, for cleanup
 * @returns {Promise<AdminDatabase>}
 */
export async function adminDatabase(config, dir, servers) {
  const rows = config.adminRows;
  const target = join(dir, 'admin.db');
  const key = createHash('sha256')
    .update(readFileSync(join(ROOT, 'apps/api/dist/db/migrations.js')))
    .update(`seed ${SEED_VERSION} rows ${rows}`)
    .digest('hex')
    .slice(0, 12);
  const cached = join(config.cacheDir, `subscribers-${rows}-${key}.db`);
  if (config.seedCache && existsSync(cached)) {
    const started = performance.now();
    copyFileSync(cached, target);
    const seconds = (performance.now() - started) / 1000;
    log(`admin: ${int(rows)} rows copied from the cache (${cached}) in ${fixed(seconds, 1)} s`);
    return { path: target, source: 'cache', cached, seconds };
  }
  log(`admin: migrating a fresh file and seeding ${int(rows)} rows ...`);
  const migrate = await startServer('catlist-migrate', [API_SERVER], {
    NODE_ENV: 'production',
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    DATABASE_URL: `sqlite:${target}`,
    LOG_LEVEL: config.logLevel,
  });
  servers.push(migrate);
  migrate.exitCode = await stopServer(migrate);
  const { seconds } = seedSubscribers(target, rows);
  log(`admin: seeded in ${fixed(seconds, 1)} s`);
  if (config.seedCache) {
    mkdirSync(config.cacheDir, { recursive: true });
    // Older seeds (other migrations or seed versions) of this size are of no further use.
    for (const file of readdirSync(config.cacheDir)) {
      if (file.startsWith(`subscribers-${rows}-`) && file !== `subscribers-${rows}-${key}.db`) {
        rmSync(join(config.cacheDir, file), { force: true });
      }
    }
    const partial = `${cached}.${process.pid}.partial`;
    copyFileSync(target, partial);
    renameSync(partial, cached);
    log(`admin: seeded file cached as ${cached}`);
  }
  return { path: target, source: 'seeded', cached: config.seedCache ? cached : null, seconds };
}
