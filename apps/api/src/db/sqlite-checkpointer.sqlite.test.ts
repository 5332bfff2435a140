import { statSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../test-support/per-test.js';
import { openTestDatabase } from '../test-support/test-server.js';
import { CHECKPOINT_INTERVAL_MS } from './sqlite-checkpointer.js';

// SQLite's own checkpoints ran inside a COMMIT on the event loop; a worker thread runs them now
// (sqlite-checkpointer.ts). Seen from outside: the database file takes in what was written
// without waiting for the log to reach SQLite's 1,000-page threshold, and closing leaves no log.

const db = useTestDatabase();

const file = () => db.storage.url.slice('sqlite:'.length);
const size = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

describe('checkpoints on their own thread', () => {
  it('copies the log into the db.database file soon after writes, well below 1,000 pages', async () => {
    const before = size(file());
    const rows = Array.from({ length: 2_000 }, (_, i) => ({
      email: `checkpoint-${i}@example.com`,
      created_at: i,
    }));
    await db.database.db.insertInto('subscribers').values(rows).execute();
    expect(size(`${file()}-wal`)).toBeLessThan(1_000 * 4096);
    await vi.waitFor(() => expect(size(file())).toBeGreaterThan(before + 64 * 1024), {
      timeout: CHECKPOINT_INTERVAL_MS * 8,
      interval: 25,
    });
  });

  it('stops with the db.database, leaving a complete file', async () => {
    await db.database.db
      .insertInto('subscribers')
      .values({ email: 'last@example.com', created_at: 1 })
      .execute();
    await db.database.close();
    expect(size(`${file()}-wal`)).toBe(0);
    db.database = await openTestDatabase(db.storage);
    const rows = await db.database.db.selectFrom('subscribers').select('email').execute();
    expect(rows.map((row) => row.email)).toEqual(['last@example.com']);
  });
});
