import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { useTestDatabase } from '../test-support/per-test.js';
import { listEmails } from '../test-support/test-server.js';
import { type RefusedLine, readAddressCsv } from './address-csv.js';
import { createImportStore } from './import-store.js';

const current = useTestDatabase();
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

async function stage(text: string | Readable) {
  const refused: RefusedLine[] = [];
  const input = typeof text === 'string' ? Readable.from([text]) : text;
  const staged = await createImportStore(current.database).stage(
    readAddressCsv(input),
    NOW,
    (line) => refused.push(line),
  );
  return { staged, refused };
}

async function sources() {
  const rows = await current.database.db
    .selectFrom('subscribers')
    .select(['email', 'source', 'created_at'])
    .orderBy('email')
    .execute();
  return rows.map((row) => [row.email, row.source, Number(row.created_at)]);
}

describe('import store', () => {
  it('stages a mixed bare column without touching the list, then commits it as source=import', async () => {
    await createSubscriberStore(current.database).add('known@example.com', 1);
    const { staged, refused } = await stage(
      'New@Example.com\nnot-an-address\n\nknown@example.com\nnew@example.com\n"a b"@x.org\nother@example.org\n',
    );
    expect(staged).toMatchObject({ added: 2, alreadyThere: 2, invalid: 2 });
    expect(refused.map((line) => [line.line, line.value])).toEqual([
      [2, 'not-an-address'],
      [6, '"a b"@x.org'],
    ]);
    expect(await listEmails(current.database)).toEqual(['known@example.com']);

    const result = await createImportStore(current.database).commit(staged.id, 0);
    expect(result).toEqual({ added: 2, alreadyThere: 2, invalid: 2, suppressed: 0 });
    expect(await sources()).toEqual([
      ['known@example.com', 'signup', 1],
      ['new@example.com', 'import', NOW],
      ['other@example.org', 'import', NOW],
    ]);
    expect(await createSubscriberStore(current.database).count()).toBe(3);
    // Committed once: a second confirm finds nothing.
    expect(await createImportStore(current.database).commit(staged.id, 0)).toBeNull();
  });

  it("reads the export's format back, signup times and formula guards included", async () => {
    const { staged } = await stage(
      'email,created_at,source\r\n' +
        "'-dash@example.com,2025-05-06T07:08:09.000Z,signup\r\n" +
        'plain@example.com,,signup\r\n',
    );
    expect(staged).toMatchObject({ added: 2, alreadyThere: 0, invalid: 0 });
    await createImportStore(current.database).commit(staged.id, 0);
    expect(await sources()).toEqual([
      ['-dash@example.com', 'import', Date.parse('2025-05-06T07:08:09.000Z')],
      ['plain@example.com', 'import', NOW],
    ]);
  });

  it('is idempotent: importing the same file again adds nothing', async () => {
    const file = 'email\na@example.com\nb@example.com\n';
    const first = await stage(file);
    await createImportStore(current.database).commit(first.staged.id, 0);
    const again = await stage(file);
    expect(again.staged).toMatchObject({ added: 0, alreadyThere: 2, invalid: 0 });
    expect(await createImportStore(current.database).commit(again.staged.id, 0)).toEqual({
      added: 0,
      alreadyThere: 2,
      invalid: 0,
      suppressed: 0,
    });
    expect(await listEmails(current.database)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('stages nothing when the file breaks off part-way', async () => {
    async function* broken() {
      for (let i = 0; i < 12_000; i++) yield `user${i}@example.com\n`;
      throw new Error('connection lost');
    }
    await expect(stage(Readable.from(broken()))).rejects.toThrow('connection lost');
    const staged = await current.database.db.selectFrom('import_rows').select('email').execute();
    expect(staged).toEqual([]);
    expect(await listEmails(current.database)).toEqual([]);
  });

  it('refuses a file that is not CSV, staging nothing', async () => {
    await expect(stage('a@example.com\n"b@example.com\n')).rejects.toThrow(/not valid CSV/);
    expect(await current.database.db.selectFrom('imports').select('id').execute()).toEqual([]);
  });
});
