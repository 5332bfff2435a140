import { ERROR_MESSAGES } from '@catlist/contracts';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_SITE, SiteContext } from '../../lib/site';
import { callsTo, type FakeReply, mockApi, reply } from '../../test/fetch-mock';
import type {
  Announcement,
  AnnouncementProgress,
  AnnouncementSummary,
} from './announcement-format';
import { MAIL_DISABLED } from './announcement-format';
import { AnnouncementPanel } from './announcement-panel';

const LIST = 'GET /api/admin/announcements';
const CREATE = 'POST /api/admin/announcements';
const SUBSCRIBERS = 'GET /api/admin/subscribers';
const NOTHING: AnnouncementProgress = {
  recipients: 0,
  queueingDone: false,
  waiting: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  unsubscribed: 0,
};

function errorReply(status: number, code: keyof typeof ERROR_MESSAGES) {
  return reply(status, { error: { code, message: ERROR_MESSAGES[code] } });
}

function announcement(overrides: Partial<Announcement> = {}): Announcement {
  return {
    id: 'a1',
    status: 'draft',
    messages: [{ language: 'en', subject: 'Kittens!', body: 'We have **news**.' }],
    createdAt: '2026-03-01T14:05:00.000Z',
    updatedAt: '2026-03-01T14:05:00.000Z',
    startedAt: null,
    finishedAt: null,
    progress: NOTHING,
    ...overrides,
  };
}

function summary(item: Announcement): AnnouncementSummary {
  const { messages, updatedAt: _, ...rest } = item;
  return { ...rest, subject: messages[0]?.subject ?? '' };
}

const PREVIEW = {
  language: 'en',
  subject: 'Kittens!',
  html: '<p>We have <strong>news</strong>.</p>',
  text: 'We have news.\n\nUnsubscribe: https://example.com/u',
};

type Routes = Parameters<typeof mockApi>[0];

async function openPanel(routes: Routes, languages = ['en']) {
  const spy = mockApi({ [LIST]: reply(200, { items: [], nextBefore: null }), ...routes });
  const user = userEvent.setup();
  render(
    <SiteContext.Provider value={{ ...BUILT_IN_SITE, languages, defaultLanguage: 'en' }}>
      <AnnouncementPanel onUnauthorized={() => {}} />
    </SiteContext.Provider>,
  );
  await user.click(screen.getByText('Announcements'));
  return { spy, user };
}

/** Opens a saved announcement from the history. */
async function openSaved(item: Announcement, routes: Routes = {}) {
  const opened = await openPanel({
    [LIST]: reply(200, { items: [summary(item)], nextBefore: null }),
    [`GET /api/admin/announcements/${item.id}`]: reply(200, item),
    [`GET /api/admin/announcements/${item.id}/preview`]: reply(200, PREVIEW),
    ...routes,
  });
  await opened.user.click(await screen.findByRole('button', { name: item.messages[0]?.subject }));
  return opened;
}

describe('AnnouncementPanel: history', () => {
  it('says so when there are none yet', async () => {
    await openPanel({});
    expect(await screen.findByText('No announcements yet')).toBeInTheDocument();
  });

  it('lists them as the API gives them (newest first) with status and counts', async () => {
    const sent = announcement({
      id: 'a2',
      status: 'sent',
      messages: [{ language: 'en', subject: 'Spring news', body: 'x' }],
      startedAt: '2026-03-02T10:00:00.000Z',
      finishedAt: '2026-03-02T10:30:00.000Z',
      progress: {
        ...NOTHING,
        recipients: 12,
        queueingDone: true,
        sent: 9,
        failed: 2,
        skipped: 1,
        unsubscribed: 3,
      },
    });
    await openPanel({
      [LIST]: reply(200, { items: [summary(sent), summary(announcement())], nextBefore: null }),
    });
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      'Spring news',
      'Kittens!',
    ]);
    expect(
      within(rows[0] as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['Sent', expect.stringContaining('Finished'), '9', '2', '1', '3', '']);
    // Only a draft can be deleted.
    expect(within(rows[0] as HTMLElement).queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(
      within(rows[1] as HTMLElement).getByRole('button', { name: 'Delete the draft “Kittens!”' }),
    ).toBeInTheDocument();
  });

  it('deletes a draft after asking, and lists again', async () => {
    let items = [summary(announcement())];
    const { spy, user } = await openPanel({
      [LIST]: () => reply(200, { items, nextBefore: null }),
      'DELETE /api/admin/announcements/a1': () => {
        items = [];
        return reply(204);
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Delete the draft “Kittens!”' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this draft?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Deleted the draft “Kittens!”.')).toBeInTheDocument();
    expect(await screen.findByText('No announcements yet')).toBeInTheDocument();
    expect(callsTo(spy, 'DELETE /api/admin/announcements/a1')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Write an announcement' })).toHaveFocus();
  });

  it('loads older announcements under the newest', async () => {
    const older = announcement({
      id: 'a0',
      messages: [{ language: 'en', subject: 'Older', body: 'x' }],
    });
    const { spy, user } = await openPanel({
      [LIST]: ({ url }) =>
        url.searchParams.get('before') === 'a1'
          ? reply(200, { items: [summary(older)], nextBefore: null })
          : reply(200, { items: [summary(announcement())], nextBefore: 'a1' }),
    });
    await user.click(await screen.findByRole('button', { name: 'Load older announcements' }));
    expect(await screen.findByRole('button', { name: 'Older' })).toBeInTheDocument();
    expect(screen.getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual([
      'Kittens!',
      'Older',
    ]);
    expect(screen.queryByRole('button', { name: 'Load older announcements' })).toBeNull();
    expect(callsTo(spy, LIST).map((call) => call.url.searchParams.get('before'))).toEqual([
      null,
      'a1',
    ]);
  });

  it('shows the API’s message when the history cannot load, with a retry', async () => {
    await openPanel({ [LIST]: errorReply(503, 'service_unavailable') });
    expect(await screen.findByText(ERROR_MESSAGES.service_unavailable)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('AnnouncementPanel: compose', () => {
  it('refuses an empty draft with a message at each field, focus on the first', async () => {
    const { spy, user } = await openPanel({});
    await user.click(await screen.findByRole('button', { name: 'Write an announcement' }));
    expect(screen.getByRole('heading', { name: 'New announcement' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    const subject = screen.getByLabelText('Subject');
    expect(subject).toHaveFocus();
    expect(subject).toHaveAttribute('aria-invalid', 'true');
    expect(subject).toHaveAccessibleDescription('Write a subject.');
    expect(screen.getByLabelText('Message')).toHaveAccessibleDescription(
      expect.stringContaining('Write the message.'),
    );
    expect(callsTo(spy, CREATE)).toHaveLength(0);
  });

  it('creates the draft, then updates it; says when changes are unsaved', async () => {
    let saved = announcement();
    const { spy, user } = await openPanel({
      [CREATE]: ({ body }) => {
        saved = { ...saved, ...(body as Pick<Announcement, 'messages'>) };
        return reply(201, saved);
      },
      'POST /api/admin/announcements/a1': ({ body }) => {
        saved = { ...saved, ...(body as Pick<Announcement, 'messages'>) };
        return reply(200, saved);
      },
      'GET /api/admin/announcements/a1/preview': () =>
        reply(200, { ...PREVIEW, subject: saved.messages[0]?.subject }),
    });
    await user.click(await screen.findByRole('button', { name: 'Write an announcement' }));
    expect(screen.getByText(/Markdown:/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Subject'), '  Kittens!');
    await user.type(screen.getByLabelText('Message'), 'We have news.');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    expect(await screen.findByText(/^Draft saved\./)).toBeInTheDocument();
    expect(screen.queryByText('Unsaved changes')).toBeNull();
    expect(callsTo(spy, CREATE).map((call) => call.body)).toEqual([
      { messages: [{ language: 'en', subject: 'Kittens!', body: 'We have news.' }] },
    ]);
    const frame = await screen.findByTitle('The mail as sent: Kittens!');
    expect(frame.getAttribute('src')).toMatch(/\/api\/admin\/announcements\/a1\/preview\.html$/);
    expect(screen.getByText(/Unsubscribe: https:\/\/example.com\/u/)).toBeInTheDocument();

    await user.type(screen.getByLabelText('Subject'), ' Again');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    // Nothing is tried or sent from text that was not saved.
    expect(screen.getByRole('button', { name: 'Send to the list…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Send test' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByTitle('The mail as sent: Kittens! Again')).toBeInTheDocument();
    expect(callsTo(spy, 'POST /api/admin/announcements/a1')).toHaveLength(1);
    expect(callsTo(spy, CREATE)).toHaveLength(1);
  });

  it('adds a version in another of the site’s languages, never one twice', async () => {
    const { spy, user } = await openPanel(
      {
        [CREATE]: (r) => reply(201, announcement(r.body as Partial<Announcement>)),
        'GET /api/admin/announcements/a1/preview': reply(200, PREVIEW),
      },
      ['en', 'de'],
    );
    await user.click(await screen.findByRole('button', { name: 'Write an announcement' }));
    await user.click(screen.getByRole('button', { name: 'Add a version in another language' }));
    const german = screen.getByRole('group', { name: 'Version in German' });
    expect(within(german).getByLabelText('Subject')).toHaveFocus();
    expect(
      screen.getByRole('button', { name: 'Add a version in another language' }),
    ).toBeDisabled();
    const [first, second] = screen.getAllByLabelText('Subject');
    const [firstBody, secondBody] = screen.getAllByLabelText('Message');
    await user.type(first as HTMLElement, 'Hello');
    await user.type(firstBody as HTMLElement, 'Hi');
    await user.type(second as HTMLElement, 'Hallo');
    await user.type(secondBody as HTMLElement, 'Moin');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText(/^Draft saved\./);
    expect(callsTo(spy, CREATE)[0]?.body).toEqual({
      messages: [
        { language: 'en', subject: 'Hello', body: 'Hi' },
        { language: 'de', subject: 'Hallo', body: 'Moin' },
      ],
    });
  });

  it('asks before leaving unsaved changes, and keeps them when told to', async () => {
    const { user } = await openPanel({});
    await user.click(await screen.findByRole('button', { name: 'Write an announcement' }));
    await user.type(screen.getByLabelText('Subject'), 'Half written');
    await user.click(screen.getByRole('button', { name: 'Back to all announcements' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Leave without saving?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(screen.getByLabelText('Subject')).toHaveValue('Half written');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Back to all announcements' })).toHaveFocus(),
    );
    await user.click(screen.getByRole('button', { name: 'Back to all announcements' }));
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(await screen.findByText('No announcements yet')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Write an announcement' })).toHaveFocus(),
    );
  });

  it('keeps a saved announcement read only once it was sent', async () => {
    await openSaved(
      announcement({
        status: 'sent',
        startedAt: '2026-03-02T10:00:00.000Z',
        finishedAt: '2026-03-02T10:30:00.000Z',
        progress: { ...NOTHING, recipients: 2, queueingDone: true, sent: 2 },
      }),
    );
    expect(await screen.findByText('We have **news**.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Subject')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save draft' })).toBeNull();
    expect(screen.queryByLabelText('Send a test to')).toBeNull();
  });
});

describe('AnnouncementPanel: test send', () => {
  it('checks the address as the signup form does, then sends and says so', async () => {
    const { spy, user } = await openSaved(announcement(), {
      'POST /api/admin/announcements/a1/test': reply(204),
    });
    const input = await screen.findByLabelText('Send a test to');
    expect(input).toHaveValue('');
    await user.type(input, 'not-an-address');
    await user.click(screen.getByRole('button', { name: 'Send test' }));
    expect(input).toHaveAccessibleDescription(
      'That does not look like an email address. Check it for typos.',
    );
    expect(input).toHaveFocus();
    expect(callsTo(spy, 'POST /api/admin/announcements/a1/test')).toHaveLength(0);

    await user.clear(input);
    await user.type(input, 'me@example.com');
    await user.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByText(/^Test sent to me@example.com\./)).toHaveAttribute(
      'role',
      'status',
    );
    expect(callsTo(spy, 'POST /api/admin/announcements/a1/test')[0]?.body).toEqual({
      email: 'me@example.com',
    });
  });

  it('explains a server without mail: set MAIL_URL', async () => {
    const { user } = await openSaved(announcement(), {
      'POST /api/admin/announcements/a1/test': errorReply(503, 'mail_disabled'),
    });
    await user.type(await screen.findByLabelText('Send a test to'), 'me@example.com');
    await user.click(screen.getByRole('button', { name: 'Send test' }));
    expect(
      await screen.findByText(`Could not send the test. ${MAIL_DISABLED}`),
    ).toBeInTheDocument();
    expect(MAIL_DISABLED).toContain('MAIL_URL');
  });
});

describe('AnnouncementPanel: sending', () => {
  it('says how many confirmed subscribers get it before sending, then shows progress', async () => {
    const { spy, user } = await openSaved(announcement(), {
      [SUBSCRIBERS]: ({ url }): FakeReply =>
        reply(200, {
          items: [],
          nextCursor: null,
          total: url.searchParams.get('status') === 'confirmed' ? 1234 : 1300,
          pending: 4,
        }),
      'POST /api/admin/announcements/a1/send': reply(
        200,
        announcement({
          status: 'sending',
          startedAt: '2026-03-02T10:00:00.000Z',
          progress: {
            ...NOTHING,
            recipients: 200,
            queueingDone: true,
            waiting: 150,
            sent: 40,
            failed: 6,
            skipped: 4,
          },
        }),
      ),
    });
    await user.click(await screen.findByRole('button', { name: 'Send to the list…' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Send “Kittens!” to 1,234 subscribers?',
    });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Send now' }));

    expect(await screen.findByText('Sending has started.')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: '25% done' });
    expect(bar).toHaveAttribute('max', '200');
    expect(bar).toHaveAttribute('value', '50');
    expect(bar).toHaveAccessibleDescription('200 queued · 40 sent · 6 failed · 4 skipped');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Pause' })).toHaveFocus());
    expect(callsTo(spy, 'POST /api/admin/announcements/a1/send')).toHaveLength(1);
  });

  it('counts everyone on the list when confirmation by email is off', async () => {
    const { user } = await openSaved(announcement(), {
      [SUBSCRIBERS]: reply(200, { items: [], nextCursor: null, total: 1 }),
    });
    await user.click(await screen.findByRole('button', { name: 'Send to the list…' }));
    expect(
      await screen.findByRole('alertdialog', { name: 'Send “Kittens!” to 1 subscriber?' }),
    ).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Send to the list…' })).toHaveFocus(),
    );
  });

  it('asks for the progress while it sends, until it is done', async () => {
    const states = [
      {
        status: 'sending' as const,
        progress: { ...NOTHING, recipients: 3, queueingDone: true, waiting: 2, sent: 1 },
      },
      {
        status: 'sent' as const,
        progress: { ...NOTHING, recipients: 3, queueingDone: true, sent: 3 },
        finishedAt: '2026-03-02T10:01:00.000Z',
      },
    ];
    let polls = 0;
    const sending = announcement({
      status: 'sending',
      startedAt: '2026-03-02T10:00:00.000Z',
      progress: { ...NOTHING, recipients: 3, queueingDone: true, waiting: 3 },
    });
    const { spy } = await openSaved(sending, {
      'GET /api/admin/announcements/a1': () => {
        // The first GET opens it; each later one is a poll.
        const state = polls === 0 ? {} : (states[Math.min(polls - 1, states.length - 1)] ?? {});
        polls += 1;
        return reply(200, { ...sending, ...state });
      },
    });
    expect(await screen.findByRole('progressbar', { name: '0% done' })).toBeInTheDocument();
    expect(
      await screen.findByRole('progressbar', { name: '33% done' }, { timeout: 4000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Done: 3 subscribers got it.', {}, { timeout: 4000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: '100% done' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(screen.getByText(/^Sent, finished/)).toBeInTheDocument();
    const asked = callsTo(spy, 'GET /api/admin/announcements/a1').length;
    // Done: no more asking.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(callsTo(spy, 'GET /api/admin/announcements/a1')).toHaveLength(asked);
  });

  it('pauses, resumes, and cancels behind a confirmation', async () => {
    const base = announcement({
      startedAt: '2026-03-02T10:00:00.000Z',
      progress: { ...NOTHING, recipients: 10, queueingDone: true, waiting: 8, sent: 2 },
    });
    const { spy, user } = await openSaved(
      { ...base, status: 'paused' },
      {
        'POST /api/admin/announcements/a1/resume': reply(200, { ...base, status: 'sending' }),
        'POST /api/admin/announcements/a1/pause': reply(200, { ...base, status: 'paused' }),
        'POST /api/admin/announcements/a1/cancel': reply(200, {
          ...base,
          status: 'cancelled',
          finishedAt: '2026-03-02T10:05:00.000Z',
        }),
      },
    );
    expect(
      await screen.findByText('Paused: nothing more leaves until you resume.'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Pause' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Cancel the send…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Cancel the rest of this send?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep sending' }));
    expect(callsTo(spy, 'POST /api/admin/announcements/a1/cancel')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Cancel the send…' }));
    await user.click(screen.getByRole('button', { name: 'Cancel the send' }));
    expect(await screen.findByText('Cancelled: no more mails leave.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
    expect(screen.getByText(/^Cancelled .*: what had left stays sent\.$/)).toBeInTheDocument();
    expect(callsTo(spy, 'POST /api/admin/announcements/a1/resume')).toHaveLength(1);
    expect(callsTo(spy, 'POST /api/admin/announcements/a1/pause')).toHaveLength(1);
  });

  it('says when the send moved on meanwhile, and shows where it is', async () => {
    const base = announcement({
      status: 'sending',
      startedAt: '2026-03-02T10:00:00.000Z',
      progress: { ...NOTHING, recipients: 1, queueingDone: true, waiting: 1 },
    });
    let gets = 0;
    const { user } = await openSaved(base, {
      'GET /api/admin/announcements/a1': () => {
        gets += 1;
        return reply(
          200,
          gets === 1
            ? base
            : {
                ...base,
                status: 'sent',
                finishedAt: '2026-03-02T10:01:00.000Z',
                progress: { ...base.progress, waiting: 0, sent: 1 },
              },
        );
      },
      'POST /api/admin/announcements/a1/pause': errorReply(409, 'announcement_state'),
    });
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    expect(await screen.findByText(ERROR_MESSAGES.announcement_state)).toBeInTheDocument();
    expect(await screen.findByText(/^Sent, finished/)).toBeInTheDocument();
  });
});

vi.setConfig({ testTimeout: 15_000 });
