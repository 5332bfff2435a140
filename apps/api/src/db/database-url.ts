import { resolve } from 'node:path';

/** Where a `DATABASE_URL` points, without its password. */
export type DatabaseLocation =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; host: string; port: number; user: string; database: string };

/** Resolves `sqlite:<path>` against the working directory; `sqlite::memory:` stays in memory. */
export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length);
  return path === ':memory:' ? path : resolve(path);
}

/**
 * Reads a `DATABASE_URL` that loadEnv accepted. For PostgreSQL, what libpq would use when the URL
 * leaves a part out: host localhost, port 5432, user PGUSER or the login name, database = user.
 */
export function databaseLocation(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', path: sqlitePath(url) };
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || process.env.USER || '';
  return {
    kind: 'postgres',
    host: parsed.searchParams.get('host') ?? (decodeURIComponent(parsed.hostname) || 'localhost'),
    port: Number(parsed.port || 5432),
    user,
    database: decodeURIComponent(parsed.pathname.slice(1)) || user,
  };
}

/** The database for people to read: `sqlite /srv/catlist.db` or `postgres db.internal:5432/catlist`. */
export function describeDatabase(url: string): string {
  const where = databaseLocation(url);
  if (where.kind === 'sqlite') return `sqlite ${where.path}`;
  return `postgres ${where.host}:${where.port}/${where.database}`;
}
