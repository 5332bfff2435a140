import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { SubscriberRow, SubscriberStore } from '../stores/subscriber-store.js';

const BATCH_SIZE = 1000;
// Cells starting with these are run as formulas by spreadsheet programs (OWASP "CSV injection").
// A leading quote is guarded too, so that removing one leading quote always restores the value.
const FORMULA_START = /^[=+\-@\t\r']/;

/** Prefixes a cell that a spreadsheet would run as a formula with `'`. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

async function* allRecords(
  subscribers: SubscriberStore,
  first: SubscriberRow[],
  confirmedAt: boolean,
): AsyncGenerator<string[]> {
  // Keyset-paged batches rather than one long cursor: memory stays flat and other requests get
  // the database between batches.
  let rows = first;
  for (;;) {
    for (const row of rows) {
      const record = [guardFormula(row.email), new Date(row.createdAt).toISOString(), row.source];
      if (confirmedAt) {
        record.push(row.confirmedAt == null ? '' : new Date(row.confirmedAt).toISOString());
      }
      yield record;
    }
    if (rows.length < BATCH_SIZE) return;
    rows = await subscribers.page({ limit: BATCH_SIZE, after: rows[rows.length - 1] });
  }
}

/**
 * The whole list as RFC 4180 CSV (`email,created_at,source`, newest first), streamed. The first batch is
 * read before anything is sent, so a database that is down gets the usual JSON error (503), not a
 * connection reset mid-download; if the client leaves, the reading stops.
 */
export async function subscribersCsv(
  subscribers: SubscriberStore,
  /** With confirmation by email on, a `confirmed_at` column (empty: joined without). */
  { confirmedAt = false }: { confirmedAt?: boolean } = {},
): Promise<Readable> {
  const first = await subscribers.page({ limit: BATCH_SIZE });
  const csv = stringify({
    header: true,
    columns: confirmedAt
      ? ['email', 'created_at', 'source', 'confirmed_at']
      : ['email', 'created_at', 'source'],
    record_delimiter: 'windows',
  });
  pipeline(Readable.from(allRecords(subscribers, first, confirmedAt)), csv, () => {
    // Errors end the response (and are logged by the app's error listener); nothing to add.
  });
  return csv;
}
