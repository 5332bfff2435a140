import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { SubscriberRow, SubscriberStore } from '../db/subscriber-store.js';

const BATCH_SIZE = 1000;
// Cells starting with these are run as formulas by spreadsheet programs (OWASP "CSV injection").
// A leading quote is guarded too, so that removing one leading quote always restores the value.
const FORMULA_START = /^[=+\-@\t\r']/;

/** Prefixes a cell that a spreadsheet would run as a formula with `'`. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

async function* allRecords(subscribers: SubscriberStore): AsyncGenerator<[string, string]> {
  // Keyset-paged batches rather than one long cursor: memory stays flat and other requests get
  // the database between batches.
  let after: SubscriberRow | undefined;
  for (;;) {
    const rows = await subscribers.page({ limit: BATCH_SIZE, after });
    for (const row of rows) yield [guardFormula(row.email), new Date(row.createdAt).toISOString()];
    if (rows.length < BATCH_SIZE) return;
    after = rows[rows.length - 1];
  }
}

/** The whole list as RFC 4180 CSV (`email,created_at`, newest first), streamed. */
export function subscribersCsv(subscribers: SubscriberStore): Readable {
  const records = Readable.from(allRecords(subscribers));
  const csv = stringify({
    header: true,
    columns: ['email', 'created_at'],
    record_delimiter: 'windows',
  });
  records.on('error', (error) => csv.destroy(error));
  return records.pipe(csv);
}
