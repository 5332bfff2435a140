// Migration 0005_canonical_addresses_and_owners.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0005(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // All or nothing: PostgreSQL runs each migration in a transaction; SQLite's DDL is not
      // transactional for Kysely, so this one takes a savepoint (a failure half-way, e.g. a
      // crash, leaves the version before it).
      if (dialect === 'sqlite') await sql`savepoint canonical_addresses`.execute(db);
      // Addresses are normalised lower-case first, then NFC (docs/http-api.md); before, NFC came
      // first, which left some spellings with a capital and a combining mark (T + U+0308) in a
      // form NFC would compose (ẗ) once lower-cased: two rows for one address, one of which the
      // admin could not delete. Such rows are rewritten; where both spellings are there, the
      // two merge into the canonical one, keeping the earlier signup time.
      await canonicaliseAddresses(db, dialect);
      // Ownership: the session that put an address on the list keeps a random token, the row
      // its hash. The sessions that remember an address now become its owners, so every
      // visitor who could take their address off the list before can still do so.
      await db.schema.alterTable('subscribers').addColumn('owner_hash', 'text').execute();
      await claimOwnership(db);
      if (dialect === 'postgres') {
        // A client address from X-Forwarded-For can be longer than 255 characters.
        await sql`alter table rate_limits alter column key type text`.execute(db);
      }
      if (dialect === 'sqlite') await sql`release canonical_addresses`.execute(db);
    },
  };
}

/** Rewrites every stored address to its normalised form (see 0005), merging duplicates. */
async function canonicaliseAddresses(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const list = db as Kysely<{ subscribers: { email: string; created_at: number } }>;
  // Only an address with a character outside printable ASCII can change.
  const outsideAscii =
    dialect === 'sqlite' ? sql<boolean>`email glob '*[^ -~]*'` : sql<boolean>`email ~ '[^ -~]'`;
  const nonAscii = await sql<{ email: string; created_at: number | string }>`
    select email, created_at from subscribers where ${outsideAscii}`.execute(db);
  for (const row of nonAscii.rows) {
    const canonical = normalizeEmail(row.email);
    if (canonical === row.email) continue;
    const createdAt = Number(row.created_at);
    const existing = await list
      .selectFrom('subscribers')
      .select('created_at')
      .where('email', '=', canonical)
      .executeTakeFirst();
    // Delete and insert rather than update, so the count and search triggers follow.
    await list.deleteFrom('subscribers').where('email', '=', row.email).execute();
    if (existing) {
      await list
        .updateTable('subscribers')
        .set({ created_at: Math.min(createdAt, Number(existing.created_at)) })
        .where('email', '=', canonical)
        .execute();
    } else {
      await list
        .insertInto('subscribers')
        .values({ email: canonical, created_at: createdAt })
        .execute();
    }
  }
}

/** Gives each address that live sessions remember one owner token, kept by all those sessions. */
async function claimOwnership(db: Kysely<unknown>): Promise<void> {
  const tables = db as Kysely<{
    subscribers: { email: string; owner_hash: string | null };
    sessions: { id: string; data: string };
  }>;
  const sessions = await tables.selectFrom('sessions').select(['id', 'data']).execute();
  const tokens = new Map<string, string | null>();
  for (const session of sessions) {
    const data = sessionData(session.data);
    // A row no version of koa-session wrote (`null`, an array, broken JSON) is left as it is:
    // koa-session treats it as no session, and the migration must not stop the server over it.
    if (data === undefined || typeof data.email !== 'string') continue;
    const email = normalizeEmail(data.email);
    let token = tokens.get(email);
    if (token === undefined) {
      token = newOwnerToken();
      const claimed = await tables
        .updateTable('subscribers')
        .set({ owner_hash: hashOwnerToken(token) })
        .where('email', '=', email)
        .where('owner_hash', 'is', null)
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) token = null; // not on the list: nothing to own
      tokens.set(email, token);
    }
    const updated: Record<string, unknown> = { ...data, email };
    if (token) updated.owner = token;
    await tables
      .updateTable('sessions')
      .set({ data: JSON.stringify(updated) })
      .where('id', '=', session.id)
      .execute();
  }
}

/** A stored session's data when it is a JSON object, else undefined. */
function sessionData(text: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      return data as Record<string, unknown>;
    }
  } catch {
    // not JSON: see the caller
  }
  return undefined;
}

// As the app had them when this migration was written (packages/contracts email.ts,
// db/owner-token.ts): a migration never follows later changes of the app's code.
function normalizeEmail(input: string): string {
  return input.trim().toLowerCase().normalize('NFC');
}

function newOwnerToken(): string {
  return randomBytes(32).toString('base64url');
}

function hashOwnerToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
