import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// The CSV export guards every cell a spreadsheet would run as a formula (OWASP "CSV injection"):
// `=`, `+`, `-`, `@`, tab and carriage return, and a leading quote so that unguarding is one rule.
// Signup refuses most of these addresses, but rows also come from imports, the command line and
// databases restored from elsewhere: these tests put them in through the store and through SQL.
// Runs on SQLite and on PostgreSQL.

const PASSWORD = 'correct horse battery staple';
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', "'"];

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ adminPassword: PASSWORD });
});
afterEach(async () => {
  await server.cleanup();
});

async function exportCsv(): Promise<{ email: string; created_at: string }[]> {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  const response = await admin
    .get('/api/admin/subscribers.csv')
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => done(null, text));
    })
    .expect(200);
  return parse(response.body as string, { columns: true });
}

describe('the CSV export’s formula guard', () => {
  it.each(TRIGGERS.map((char) => [JSON.stringify(char), char]))(
    'prefixes a cell starting with %s with a quote, for a row added through the store',
    async (_, char) => {
      const email = `${char}sum(1)@example.com`;
      await createSubscriberStore(server.database).add(email, Date.UTC(2026, 0, 1));
      const [record, ...rest] = await exportCsv();
      expect(rest).toEqual([]);
      expect(record).toEqual({
        email: `'${email}`,
        created_at: '2026-01-01T00:00:00.000Z',
        source: 'signup',
      });
    },
  );

  it('guards every trigger character in rows written with SQL, and leaves the others alone', async () => {
    const guarded = TRIGGERS.map((char, i) => `${char}cmd${i}@example.com`);
    const plain = ['a=1@example.com', '#tag@example.com', ' space@example.com', 'x@example.com'];
    const all = [...guarded, ...plain];
    for (const [i, email] of all.entries()) {
      await sql`insert into subscribers (email, created_at) values (${email}, ${i + 1})`.execute(
        server.database.db,
      );
    }
    const records = await exportCsv();
    expect(records.map((record) => record.email)).toEqual(
      [...guarded.map((email) => `'${email}`), ...plain].reverse(),
    );
  });
});
