// Migration 0009_ascii_domains.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0009(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // All or nothing, as in 0005: PostgreSQL runs each migration in a transaction; on SQLite a
      // savepoint.
      if (dialect === 'sqlite') await sql`savepoint ascii_domains`.execute(db);
      // Addresses now keep their domain in its ASCII form (UTS #46 ToASCII, docs/http-api.md):
      // nodemailer delivers `v@ｅxample.com` and `v@exämple.com` to `v@example.com` and
      // `v@xn--exmple-cua.com`, so the old spellings were one mailbox stored (and capped) twice.
      // Such rows are rewritten; where both spellings are there, they merge into one.
      const renamed = await asciiAddresses(db, dialect);
      await followRenames(db, renamed);
      await rememberNewSpellings(db);
      if (dialect === 'sqlite') await sql`release ascii_domains`.execute(db);
    },
  };
}

interface Subscriber {
  email: string;
  created_at: number | string;
  owner_hash: string | null;
  source: string;
  confirmed_at: number | string | null;
}

type Tables = Kysely<{
  subscribers: Subscriber;
  subscriber_owners: { email: string; owner_hash: string };
  confirmations: { email: string };
  mail_outbox: { email: string };
  import_rows: { import_id: string; email: string; created_at: number | string };
  sessions: { id: string; data: string };
}>;

/**
 * The new spelling of a stored address, or undefined when it keeps its own: it is already
 * canonical, or the new rules would refuse it (a quoted local part, say). Those rows stay as they
 * are, for the admin to remove.
 */
function newSpelling(email: string): string | undefined {
  const check = checkEmail(email);
  return check.ok && check.email !== email ? check.email : undefined;
}

/**
 * Rewrites the list's addresses to their ASCII-domain form; returns old → new. Merged rows keep
 * the earliest signup (its time, owner, source and confirmation); every other owner of either
 * row becomes an owner in subscriber_owners, so every session that could remove its address
 * before still can.
 */
async function asciiAddresses(db: Kysely<unknown>, dialect: Dialect): Promise<Map<string, string>> {
  const tables = db as Tables;
  // Only an address with a character outside printable ASCII can change.
  const outsideAscii =
    dialect === 'sqlite' ? sql<boolean>`email glob '*[^ -~]*'` : sql<boolean>`email ~ '[^ -~]'`;
  const candidates = await sql<{ email: string }>`
    select email from subscribers where ${outsideAscii}`.execute(db);
  const renamed = new Map<string, string>();
  for (const { email } of candidates.rows) {
    const canonical = newSpelling(email);
    if (canonical === undefined) continue;
    renamed.set(email, canonical);
    const rows = await tables
      .selectFrom('subscribers')
      .selectAll()
      .where('email', 'in', [email, canonical])
      .execute();
    const owners = await tables
      .selectFrom('subscriber_owners')
      .select('owner_hash')
      .where('email', 'in', [email, canonical])
      .execute();
    const [kept] = rows.sort((a, b) => Number(a.created_at) - Number(b.created_at));
    if (!kept) continue;
    const others = new Set<string>();
    for (const row of rows) if (row.owner_hash) others.add(row.owner_hash);
    for (const owner of owners) others.add(owner.owner_hash);
    if (kept.owner_hash) others.delete(kept.owner_hash);
    // Delete and insert rather than update, so the count and search triggers follow (0005).
    // Deleting takes the rows' subscriber_owners with it (on delete cascade): put back below.
    await tables.deleteFrom('subscribers').where('email', 'in', [email, canonical]).execute();
    await tables
      .insertInto('subscribers')
      .values({
        email: canonical,
        created_at: Number(kept.created_at),
        owner_hash: kept.owner_hash,
        source: kept.source,
        confirmed_at: kept.confirmed_at === null ? null : Number(kept.confirmed_at),
      })
      .execute();
    if (others.size > 0) {
      await tables
        .insertInto('subscriber_owners')
        .values([...others].map((owner_hash) => ({ email: canonical, owner_hash })))
        .execute();
    }
  }
  return renamed;
}

/**
 * The tables that name an address besides the list: pending confirmations and the mail outbox
 * (whose sent rows count towards the daily cap per address: they must count for the new
 * spelling), and staged imports. Their addresses change whether or not the list holds them.
 */
async function followRenames(db: Kysely<unknown>, fromList: Map<string, string>): Promise<void> {
  const tables = db as Tables;
  for (const table of ['confirmations', 'mail_outbox'] as const) {
    const stored = await sql<{ email: string }>`
      select distinct email from ${sql.table(table)}`.execute(db);
    for (const { email } of stored.rows) {
      const canonical = fromList.get(email) ?? newSpelling(email);
      if (canonical === undefined) continue;
      await tables
        .updateTable(table)
        .set({ email: canonical })
        .where('email', '=', email)
        .execute();
    }
  }
  // A staged import holds each address once (its primary key): two spellings merge into the
  // earlier signup time.
  const staged = await tables
    .selectFrom('import_rows')
    .select(['import_id', 'email', 'created_at'])
    .execute();
  for (const row of staged) {
    const canonical = newSpelling(row.email);
    if (canonical === undefined) continue;
    const existing = await tables
      .selectFrom('import_rows')
      .select('created_at')
      .where('import_id', '=', row.import_id)
      .where('email', '=', canonical)
      .executeTakeFirst();
    if (existing) {
      await tables
        .updateTable('import_rows')
        .set({ created_at: Math.min(Number(existing.created_at), Number(row.created_at)) })
        .where('import_id', '=', row.import_id)
        .where('email', '=', canonical)
        .execute();
      await tables
        .deleteFrom('import_rows')
        .where('import_id', '=', row.import_id)
        .where('email', '=', row.email)
        .execute();
    } else {
      await tables
        .updateTable('import_rows')
        .set({ email: canonical })
        .where('import_id', '=', row.import_id)
        .where('email', '=', row.email)
        .execute();
    }
  }
}

/** Sessions that remember an old spelling remember the new one, so they keep working. */
async function rememberNewSpellings(db: Kysely<unknown>): Promise<void> {
  const tables = db as Tables;
  const sessions = await tables.selectFrom('sessions').select(['id', 'data']).execute();
  for (const session of sessions) {
    const data = sessionData(session.data);
    // A row no version of koa-session wrote is left as it is (0005).
    if (data === undefined || typeof data.email !== 'string') continue;
    const canonical = newSpelling(data.email);
    if (canonical === undefined) continue;
    await tables
      .updateTable('sessions')
      .set({ data: JSON.stringify({ ...data, email: canonical }) })
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

// As the app had them when this migration was written (packages/contracts email.ts): a migration
// never follows later changes of the app's code.
/** Longest address accepted, in characters (RFC 5321 §4.5.3.1.3 path limit minus the brackets). */
const MAX_EMAIL_LENGTH = 254;
/** Longest local part (before the `@`) accepted, in characters (RFC 5321 §4.5.3.1.1). */
const MAX_LOCAL_PART_LENGTH = 64;

const EMAIL_MESSAGES = {
  empty: 'Please enter your email address.',
  invalid: 'Please enter a valid email address.',
  tooLong: `That address is too long (at most ${MAX_EMAIL_LENGTH} characters).`,
  localTooLong: `The part before the @ is too long (at most ${MAX_LOCAL_PART_LENGTH} characters).`,
} as const;

type EmailCheck = { ok: true; email: string } | { ok: false; message: string };

// Whitespace, control and format characters (CR, LF, NUL, zero-width space, BOM, ...), every other
// default-ignorable code point (invisible when rendered, so they make look-alike addresses:
// U+034F, U+115F, U+3164, U+FFA0, variation selectors, ...), lone surrogates and U+FFFD (the marks
// of text that was not valid UTF-8 or UTF-16), plus the RFC 5322 "specials" that are only legal
// inside quoted local parts, which we do not accept.
const FORBIDDEN =
  /[\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\uFFFD,;:<>()[\]\\]/u;
// RFC 5322 dot-atom with RFC 6532's UTF-8 (every non-ASCII character is atext; the invisible ones
// are refused by FORBIDDEN): no quoted local parts, no comments, single dots between atoms. A
// quote or a parenthesis is address syntax to the mail library, so accepting one would store an
// address other than the mailbox the mail goes to.
const DOT_ATOM =
  /^[a-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+(?:\.[a-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+)*$/u;

// Characters that URL parsing gives a meaning of its own (a path, a query, a port, user info, an
// IPv6 literal, percent-escapes) or refuses: a domain holding one is not handed to it at all, so
// `new URL` only ever sees a host name. (FORBIDDEN already holds whitespace, `:`, `\`, `[`, `]`,
// `<` and `>`.)
const URL_SPECIAL = /[/?#@%^|"]/u;
// A host name whose last label is a number is an IPv4 address to URL parsing (`1.2` becomes
// `1.0.0.2`, `0x1f` becomes `31`), not a domain that mail could go to by name.
const NUMERIC_LABEL = /^\d+$/u;

// The WHATWG URL class, a global in Node and in browsers alike; declared here because this package
// compiles against neither the DOM nor Node's types (it runs in both).
declare const URL: new (input: string) => { readonly hostname: string };

/**
 * The ASCII form of a domain (UTS #46 ToASCII as WHATWG URL parsing does it, in Node and in
 * browsers alike: full-width letters fold, `exämple.com` becomes `xn--exmple-cua.com`), or
 * undefined when ToASCII refuses it. nodemailer sends to that ASCII form, so it is the one spelling
 * of the domain that we store, count and compare.
 */
function asciiDomain(domain: string): string | undefined {
  // An empty domain makes `http:///`, which URL parsing refuses.
  if (URL_SPECIAL.test(domain) || FORBIDDEN.test(domain)) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
  const last = hostname.split('.').at(-1) ?? '';
  if (NUMERIC_LABEL.test(last)) return undefined;
  return hostname;
}

/**
 * Normalises an address the one way the whole product does: trim, lower case, Unicode NFC, then
 * the domain in its ASCII form. Lower case before NFC: lower-casing can leave a letter and a
 * combining mark that NFC then composes (`T` + U+0308 becomes `t` + U+0308, which is `ẗ`), so
 * every spelling of an address, whatever its case and composition, ends as one NFC string. The
 * ASCII domain last, because that is where nodemailer delivers: `v@ｅxample.com` and
 * `v@example.com` are one mailbox, so they must be one stored address (one owner set, one mail
 * cap). A domain ToASCII refuses is left as it is (checkEmail refuses it). Normalising twice
 * changes nothing.
 */
function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase().normalize('NFC');
  const at = email.indexOf('@');
  // Text without an `@` (an admin search for part of a domain) is not an address: left as it is.
  // With more than one, the domain holds an `@`, which asciiDomain refuses.
  if (at < 0) return email;
  const domain = asciiDomain(email.slice(at + 1));
  return domain === undefined ? email : `${email.slice(0, at + 1)}${domain}`;
}

function length(text: string): number {
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Normalises `input` and checks it is an address we accept; the message on failure is the one
 * shown to the visitor, by the browser and by the server alike.
 */
function checkEmail(input: string): EmailCheck {
  // ToASCII would silently drop some invisible characters (a soft hyphen), which must refuse the
  // address, not vanish from it: asciiDomain leaves a domain holding one as it is, so the check
  // below still sees it.
  const email = normalizeEmail(input);
  if (email === '') return { ok: false, message: EMAIL_MESSAGES.empty };
  if (length(email) > MAX_EMAIL_LENGTH) return { ok: false, message: EMAIL_MESSAGES.tooLong };
  if (FORBIDDEN.test(email)) return { ok: false, message: EMAIL_MESSAGES.invalid };
  const parts = email.split('@');
  if (parts.length !== 2) return { ok: false, message: EMAIL_MESSAGES.invalid };
  const [local = '', domain = ''] = parts;
  if (length(local) > MAX_LOCAL_PART_LENGTH) {
    return { ok: false, message: EMAIL_MESSAGES.localTooLong };
  }
  // An empty local part is not a dot-atom either.
  if (!DOT_ATOM.test(local)) return { ok: false, message: EMAIL_MESSAGES.invalid };
  const labels = domain.split('.');
  if (asciiDomain(domain) !== domain || labels.length < 2 || labels.includes('')) {
    return { ok: false, message: EMAIL_MESSAGES.invalid };
  }
  return { ok: true, email };
}
