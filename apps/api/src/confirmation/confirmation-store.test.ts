import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../db/schema.js';
import { newOwnerToken } from '../stores/owner-token.js';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { useTestDatabase } from '../test-support/per-test.js';
import { listEmails, TEST_BACKEND } from '../test-support/test-server.js';
import {
  CONFIRMATION_VALID_MS,
  createConfirmationStore,
  MAIL_CAP_WINDOW_MS,
} from './confirmation-store.js';
import { createMailOutbox } from './mail-outbox.js';

const T0 = Date.UTC(2026, 0, 1);
const current = useTestDatabase();

const stores = () => ({
  confirmations: createConfirmationStore(current.database),
  outbox: createMailOutbox(current.database),
  subscribers: createSubscriberStore(current.database),
});

describe(`confirmation store (${TEST_BACKEND})`, () => {
  it('queues the request and its mail together; the database keeps only a hash of the token', async () => {
    const { confirmations, outbox } = stores();
    expect(
      await confirmations.request('cat@example.com', 'confirm', newOwnerToken(), T0, 'en'),
    ).toBe(true);
    const [mail] = await outbox.claim(T0, T0 + 60_000, 10);
    expect(mail).toMatchObject({ email: 'cat@example.com', kind: 'confirm', attempts: 1 });
    const token = mail?.token ?? '';
    expect(token.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits, base64url
    const stored = await current.database.db.selectFrom('confirmations').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toBe(token);
    // Once sent, the outbox forgets the token too.
    await outbox.sent(mail?.id ?? 0, T0 + 1);
    const rows = await current.database.db.selectFrom('mail_outbox').select('token').execute();
    expect(rows).toEqual([{ token: null }]);
  });

  it('sends at most 3 mails per address per 24 hours, whoever asks', async () => {
    const { confirmations } = stores();
    const asked = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        confirmations.request(
          'cat@example.com',
          i % 2 ? 'confirm' : 'already-subscribed',
          newOwnerToken(),
          T0 + i,
          'en',
        ),
      ),
    );
    expect(asked.filter(Boolean)).toHaveLength(3);
    const mails = await current.database.db.selectFrom('mail_outbox').select('kind').execute();
    expect(mails).toHaveLength(3);
    // A refused request leaves no pending request behind either.
    const requests = await current.database.db
      .selectFrom('confirmations')
      .select('email')
      .execute();
    expect(requests.length).toBe(mails.filter((mail) => mail.kind === 'confirm').length);
    // Another address is not affected, and a day later the address gets mail again.
    expect(
      await confirmations.request('dog@example.com', 'confirm', newOwnerToken(), T0, 'en'),
    ).toBe(true);
    expect(
      await confirmations.request(
        'cat@example.com',
        'confirm',
        newOwnerToken(),
        T0 + MAIL_CAP_WINDOW_MS + 10,
        'en',
      ),
    ).toBe(true);
  });

  it('confirms into the list with one owner, the browser that opened the link', async () => {
    const { confirmations, outbox, subscribers } = stores();
    const asker = newOwnerToken();
    await confirmations.request('cat@example.com', 'confirm', asker, T0, 'en');
    const [mail] = await outbox.claim(T0, T0 + 1, 1);
    const token = mail?.token ?? '';
    expect(await confirmations.pendingCount(T0)).toBe(1);

    // Opened in another browser (a phone): it owns the address, the asker does not.
    const phone = newOwnerToken();
    expect(
      await confirmations.confirm(
        token,
        { browserOwnerToken: undefined, newOwnerToken: phone },
        T0 + 1000,
      ),
    ).toEqual({ email: 'cat@example.com', owner: phone });
    expect(await listEmails(current.database)).toEqual(['cat@example.com']);
    expect(await confirmations.owns('cat@example.com', phone)).toBe(true);
    expect(await confirmations.owns('cat@example.com', asker)).toBe(false);
    expect(await confirmations.pendingCount(T0 + 1000)).toBe(0);
    const [row] = await subscribers.page({ limit: 10 });
    expect(row?.confirmedAt).toBe(T0 + 1000);

    // Opened again, even by the asker: no owner more.
    expect(
      await confirmations.confirm(
        token,
        { browserOwnerToken: asker, newOwnerToken: newOwnerToken() },
        T0 + 2000,
      ),
    ).toEqual({ email: 'cat@example.com', owner: null });
    expect(await confirmations.owns('cat@example.com', asker)).toBe(false);
    expect((await subscribers.page({ limit: 10 }))[0]?.confirmedAt).toBe(T0 + 1000);

    // The owner leaves: the owners go with the address, and the link is dead.
    expect(await subscribers.removeOwned('cat@example.com', phone)).toBe('removed');
    const owners = await current.database.db.selectFrom('subscriber_owners').selectAll().execute();
    expect(owners).toEqual([]);
    const any = { browserOwnerToken: undefined, newOwnerToken: newOwnerToken() };
    expect(await confirmations.confirm(token, any, T0 + 3000)).toBeNull();
    expect(await listEmails(current.database)).toEqual([]);
  });

  it('makes the asker the owner when the asking browser opens the link', async () => {
    const { confirmations, outbox } = stores();
    const asker = newOwnerToken();
    await confirmations.request('cat@example.com', 'confirm', asker, T0, 'en');
    const [mail] = await outbox.claim(T0, T0 + 1, 1);
    expect(
      await confirmations.confirm(
        mail?.token ?? '',
        { browserOwnerToken: asker, newOwnerToken: newOwnerToken() },
        T0,
      ),
    ).toEqual({ email: 'cat@example.com', owner: asker });
    expect(await confirmations.owns('cat@example.com', asker)).toBe(true);
  });

  it('makes exactly one owner of many openings of one link at once', async () => {
    const { confirmations, outbox } = stores();
    await confirmations.request('cat@example.com', 'confirm', newOwnerToken(), T0, 'en');
    const [mail] = await outbox.claim(T0, T0 + 1, 1);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        confirmations.confirm(
          mail?.token ?? '',
          { browserOwnerToken: undefined, newOwnerToken: newOwnerToken() },
          T0,
        ),
      ),
    );
    expect(results.filter((result) => result?.owner).length).toBe(1);
    expect(results.every((result) => result?.email === 'cat@example.com')).toBe(true);
    const owners = await current.database.db.selectFrom('subscriber_owners').selectAll().execute();
    expect(owners).toHaveLength(1);
  });

  it('refuses a link past 48 hours, an unknown one, and one of an address an admin removed', async () => {
    const { confirmations, outbox, subscribers } = stores();
    const any = () => ({ browserOwnerToken: undefined, newOwnerToken: newOwnerToken() });
    await confirmations.request('cat@example.com', 'confirm', newOwnerToken(), T0, 'en');
    await confirmations.request('dog@example.com', 'confirm', newOwnerToken(), T0, 'en');
    const mails = await outbox.claim(T0, T0 + 1, 10);
    const tokenOf = (email: string) => mails.find((mail) => mail.email === email)?.token ?? '';
    expect(
      await confirmations.confirm(
        tokenOf('cat@example.com'),
        any(),
        T0 + CONFIRMATION_VALID_MS + 1,
      ),
    ).toBeNull();
    expect(await confirmations.confirm('not-a-token', any(), T0)).toBeNull();

    // Confirmed, then deleted by the admin (or `catlist remove`): the old mail brings nothing back.
    expect(await confirmations.confirm(tokenOf('dog@example.com'), any(), T0)).not.toBeNull();
    expect(await subscribers.remove('dog@example.com')).toBe(true);
    expect(await confirmations.confirm(tokenOf('dog@example.com'), any(), T0 + 1)).toBeNull();
    expect(await listEmails(current.database)).toEqual([]);

    expect(await confirmations.purgeExpired(T0 + CONFIRMATION_VALID_MS + 1)).toBeGreaterThan(0);
    expect(await current.database.db.selectFrom('confirmations').selectAll().execute()).toEqual([]);
  });

  it('cancels only the asking session’s request; unsubscribe drops the address and its requests', async () => {
    const { confirmations, outbox } = stores();
    const asker = newOwnerToken();
    await confirmations.request('cat@example.com', 'confirm', asker, T0, 'en');
    await confirmations.cancel('cat@example.com', newOwnerToken());
    expect(await confirmations.pendingCount(T0)).toBe(1);
    await confirmations.cancel('cat@example.com', asker);
    expect(await confirmations.pendingCount(T0)).toBe(0);

    await confirmations.request('dog@example.com', 'confirm', newOwnerToken(), T0, 'en');
    const mails = await outbox.claim(T0, T0 + 1, 10);
    const dogToken = mails.find((mail) => mail.email === 'dog@example.com')?.token ?? '';
    const any = () => ({ browserOwnerToken: undefined, newOwnerToken: newOwnerToken() });
    await confirmations.confirm(dogToken, any(), T0);
    await confirmations.unsubscribe('dog@example.com', Date.now());
    expect(await listEmails(current.database)).toEqual([]);
    expect(await confirmations.confirm(dogToken, any(), T0)).toBeNull();
  });
});

describe(`mail outbox (${TEST_BACKEND})`, () => {
  it('hands each due mail to one claimer at a time, again once its lease ends', async () => {
    const { confirmations, outbox } = stores();
    for (let i = 0; i < 6; i++) {
      await confirmations.request(`cat${i}@example.com`, 'confirm', newOwnerToken(), T0, 'en');
    }
    const [a, b] = await Promise.all([
      outbox.claim(T0, T0 + 60_000, 4),
      outbox.claim(T0, T0 + 60_000, 4),
    ]);
    const ids = [...(a ?? []), ...(b ?? [])].map((mail) => mail.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(await outbox.claim(T0 + 1000, T0 + 61_000, 10)).toEqual([]);

    // A claimer that died: its mails are due again once the lease has passed.
    const again = await outbox.claim(T0 + 60_000, T0 + 120_000, 10);
    expect(again).toHaveLength(6);
    expect(again.every((mail) => mail.attempts === 2)).toBe(true);
    const first = again[0]?.id ?? 0;
    await outbox.retryLater(first, T0 + 200_000, 'connection refused');
    for (const mail of again.slice(1)) await outbox.sent(mail.id, T0 + 60_001);
    expect(await outbox.unsent()).toBe(1);
    expect(await outbox.claim(T0 + 199_999, T0 + 300_000, 10)).toEqual([]);
    expect((await outbox.claim(T0 + 200_000, T0 + 300_000, 10)).map((mail) => mail.id)).toEqual([
      first,
    ]);
  });
});

describe(`transactions (${TEST_BACKEND})`, () => {
  const insert = (db: Kysely<Schema>, email: string) =>
    db.insertInto('subscribers').values({ email, created_at: T0 }).execute();

  it('saves all of a transaction or, when one statement fails, none of it', async () => {
    const { db } = current.database;
    await expect(
      db.transaction().execute(async (trx) => {
        await insert(trx, 'a@example.com');
        await insert(trx, 'a@example.com');
      }),
    ).rejects.toThrow();
    expect(await listEmails(current.database)).toEqual([]);
    await db.transaction().execute(async (trx) => {
      await insert(trx, 'a@example.com');
      await insert(trx, 'b@example.com');
    });
    expect(await listEmails(current.database)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('fails only its own statements when written beside others at the same moment', async () => {
    const { db } = current.database;
    const [before, together, after] = await Promise.allSettled([
      insert(db, 'c@example.com'),
      db.transaction().execute(async (trx) => {
        await insert(trx, 'd@example.com');
        await insert(trx, 'd@example.com');
      }),
      insert(db, 'e@example.com'),
    ]);
    expect([before?.status, together?.status, after?.status]).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await listEmails(current.database)).toEqual(['c@example.com', 'e@example.com']);
  });

  it('queues exactly 3 mails when 10 requests for one address come at once', async () => {
    const { confirmations } = stores();
    const asked = await Promise.all(
      Array.from({ length: 10 }, () =>
        confirmations.request('rush@example.com', 'confirm', newOwnerToken(), T0, 'en'),
      ),
    );
    expect(asked.filter(Boolean)).toHaveLength(3);
    const mails = await current.database.db
      .selectFrom('mail_outbox')
      .select('email')
      .where('email', '=', 'rush@example.com')
      .execute();
    expect(mails).toHaveLength(3);
    const requests = await current.database.db
      .selectFrom('confirmations')
      .select('email')
      .where('email', '=', 'rush@example.com')
      .execute();
    expect(requests).toHaveLength(3);
  });
});
