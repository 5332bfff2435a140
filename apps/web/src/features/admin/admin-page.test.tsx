import { ERROR_MESSAGES, MAX_IMPORT_BYTES, type Subscriber } from '@catlist/contracts';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_SITE, SiteContext } from '../../lib/site';
import {
  callsTo,
  deferred,
  type FakeReply,
  mockApi,
  reply,
  replyText,
} from '../../test/fetch-mock';
import { AdminPage } from './admin-page';

const LOGGED_OUT = { email: null, subscribed: false, admin: false };
const LOGGED_IN = { email: null, subscribed: false, admin: true };
const LIST = 'GET /api/admin/subscribers';

function errorReply(status: number, code: keyof typeof ERROR_MESSAGES, headers = {}) {
  return reply(status, { error: { code, message: ERROR_MESSAGES[code] } }, headers);
}

/** cat1 is the newest, one minute apart. */
function subscribers(count: number, from = 1): Subscriber[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `cat${from + i}@example.com`,
    createdAt: new Date(Date.UTC(2025, 2, 1, 14, 5) - (from + i) * 60_000).toISOString(),
    source: 'signup' as const,
  }));
}

/** `GET /api/admin/subscribers` over `rows`, with limit, an index as cursor and q, like the API. */
function fakeList(rows: Subscriber[], { pending }: { pending?: number } = {}) {
  return ({ url }: { url: URL }): FakeReply => {
    const q = url.searchParams.get('q') ?? '';
    const status = url.searchParams.get('status');
    const source = url.searchParams.get('source');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const matching = rows.filter(
      (row) =>
        row.email.includes(q.toLowerCase()) &&
        (status === null || (status === 'confirmed') === Boolean(row.confirmedAt)) &&
        (source === null || row.source === source),
    );
    const end = start + limit;
    return reply(200, {
      items: matching.slice(start, end),
      nextCursor: end < matching.length ? String(end) : null,
      total: matching.length,
      ...(pending === undefined ? {} : { pending }),
    });
  };
}

const deleteRoute = (email: string) => `DELETE /api/admin/subscribers/${encodeURIComponent(email)}`;

async function renderLoggedOut(routes: Parameters<typeof mockApi>[0] = {}) {
  const spy = mockApi({ 'GET /api/session': reply(200, LOGGED_OUT), ...routes });
  const user = userEvent.setup();
  render(<AdminPage />);
  const password = await screen.findByLabelText('Password');
  return { spy, user, password };
}

async function renderLoggedIn(rows: Subscriber[], routes: Parameters<typeof mockApi>[0] = {}) {
  const spy = mockApi({
    'GET /api/session': reply(200, LOGGED_IN),
    [LIST]: fakeList(rows),
    ...routes,
  });
  const user = userEvent.setup();
  render(<AdminPage />);
  await screen.findByText(/^\d+ subscribers?$/);
  return { spy, user };
}

async function logIn(user: ReturnType<typeof userEvent.setup>, password: HTMLElement) {
  await user.type(password, 'correct horse');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
}

const rowEmails = () =>
  screen
    .queryAllByRole('rowheader')
    .map((cell) => cell.textContent)
    .filter((text) => text !== 'Email');

describe('AdminPage: logging in', () => {
  it('asks for the password, with autofill hints and without grabbing focus', async () => {
    const { password } = await renderLoggedOut();
    expect(password).toHaveAttribute('type', 'password');
    expect(password).toHaveAttribute('autocomplete', 'current-password');
    expect(password).not.toHaveFocus();
    expect(screen.getByRole('button', { name: 'Log in' })).toBeEnabled();
    expect(document.title).toBe('Admin · Cats Everywhere');
  });

  it('shows a pending state, then the list, with focus on its heading', async () => {
    const login = deferred();
    const { spy, user, password } = await renderLoggedOut({
      'POST /api/admin/login': login.handler,
      [LIST]: fakeList(subscribers(3)),
    });
    await logIn(user, password);
    expect(screen.getByRole('button', { name: 'Logging in…' })).toBeDisabled();

    login.release(reply(200, { admin: true }));
    expect(await screen.findByText('3 subscribers')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Subscribers' })).toHaveFocus();
    expect(callsTo(spy, 'POST /api/admin/login').map((call) => call.body)).toEqual([
      { password: 'correct horse' },
    ]);
  });

  it.each([
    ['a wrong password', errorReply(401, 'invalid_password'), 'That password is not right.'],
    [
      'too many attempts, with the wait from Retry-After',
      errorReply(429, 'too_many_attempts', { 'Retry-After': '900' }),
      'Too many failed attempts. Try again in 15 minutes.',
    ],
    [
      'a disabled admin',
      errorReply(503, 'admin_disabled'),
      'The admin area is disabled on this server. Set ADMIN_PASSWORD to turn it on.',
    ],
  ])('explains %s next to the field', async (_, answer, message) => {
    const { user, password } = await renderLoggedOut({ 'POST /api/admin/login': answer });
    await logIn(user, password);

    const error = await screen.findByText(message);
    expect(error).toHaveAttribute('aria-live', 'polite');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(message);
    expect(password).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Log in' })).toBeEnabled();
  });

  it('says so when the network fails', async () => {
    const { user, password } = await renderLoggedOut({
      'POST /api/admin/login': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await logIn(user, password);
    expect(await screen.findByText(/couldn't reach the server/)).toBeInTheDocument();
  });

  it('asks for a password before sending anything', async () => {
    const { spy, user } = await renderLoggedOut();
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('Please enter the admin password.')).toBeInTheDocument();
    expect(callsTo(spy, 'POST /api/admin/login')).toHaveLength(0);
  });
});

describe('AdminPage: the list', () => {
  it('shows the total and each address with its signup time in the viewer’s locale', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-DE']);
    const rows = subscribers(3);
    await renderLoggedIn(rows);

    expect(screen.getByText('3 subscribers')).toBeInTheDocument();
    expect(rowEmails()).toEqual(['cat1@example.com', 'cat2@example.com', 'cat3@example.com']);
    const first = screen.getByRole('row', { name: /cat1@example\.com/ });
    const time = first.querySelector('time');
    expect(time).toHaveAttribute('dateTime', '2025-03-01T14:04:00.000Z');
    // In the viewer's language and time zone, and saying which zone that is.
    const zone = new Intl.DateTimeFormat('de-DE', { timeZoneName: 'short' })
      .formatToParts(new Date('2025-03-01T14:04:00.000Z'))
      .find((part) => part.type === 'timeZoneName')?.value;
    expect(time?.textContent).toMatch(/^1\. März 2025, \d\d:\d\d /);
    expect(time?.textContent?.endsWith(` ${zone}`)).toBe(true);
  });

  it('shows a loading state until the first page arrives', async () => {
    const page = deferred();
    mockApi({ 'GET /api/session': reply(200, LOGGED_IN), [LIST]: page.handler });
    render(<AdminPage />);
    expect(await screen.findByText('Loading subscribers…')).toBeInTheDocument();
    page.release(reply(200, { items: subscribers(1), nextCursor: null, total: 1 }));
    expect(await screen.findByText('1 subscriber')).toBeInTheDocument();
    expect(screen.queryByText('Loading subscribers…')).not.toBeInTheDocument();
  });

  it('links the CSV export for download', async () => {
    await renderLoggedIn(subscribers(1));
    const link = screen.getByRole('link', { name: 'Download CSV' });
    expect(link).toHaveAttribute('href', '/api/admin/subscribers.csv');
    expect(link).toHaveAttribute('download');
  });

  it('has a designed empty state', async () => {
    await renderLoggedIn([]);
    expect(screen.getByText('0 subscribers')).toBeInTheDocument();
    expect(screen.getByText('No one has signed up yet')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('offers to try again when the list cannot be loaded', async () => {
    let attempts = 0;
    const list = fakeList(subscribers(2));
    mockApi({
      'GET /api/session': reply(200, LOGGED_IN),
      [LIST]: (request) => {
        attempts++;
        return attempts === 1 ? errorReply(500, 'internal_error') : list(request);
      },
    });
    render(<AdminPage />);
    expect(await screen.findByText(ERROR_MESSAGES.internal_error)).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('2 subscribers')).toBeInTheDocument();
  });
});

describe('AdminPage: search', () => {
  it('waits for typing to pause, then shows the matching rows and count', async () => {
    const rows = subscribers(120);
    const { spy, user } = await renderLoggedIn(rows);
    const search = screen.getByLabelText('Search');

    await user.type(search, 'cat11');
    // Typed faster than the debounce: nothing sent yet.
    expect(callsTo(spy, LIST).filter((call) => call.url.searchParams.has('q'))).toHaveLength(0);
    expect(screen.getByText('Searching…')).toHaveAttribute('role', 'status');

    expect(await screen.findByText('11 of 120 subscribers match')).toBeInTheDocument();
    expect(rowEmails()).toHaveLength(11);
    // The foot counts the same 11, not a second total beside them.
    expect(screen.getByText('Showing all 11 matches')).toBeInTheDocument();
    expect(rowEmails().every((email) => email?.startsWith('cat11'))).toBe(true);
    expect(screen.getByText('120 subscribers')).toBeInTheDocument();
    // One request for the whole word.
    const searches = callsTo(spy, LIST).filter((call) => call.url.searchParams.has('q'));
    expect(searches.map((call) => call.url.searchParams.get('q'))).toEqual(['cat11']);
  });

  it('has a designed no-match state, and Clear search brings the list back', async () => {
    const { user } = await renderLoggedIn(subscribers(3));
    const search = screen.getByLabelText('Search');
    await user.type(search, 'dog{Enter}');

    expect(await screen.findByText('No addresses match “dog”')).toBeInTheDocument();
    expect(screen.getByText('0 of 3 subscribers match')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    await waitFor(() => expect(rowEmails()).toHaveLength(3));
    expect(search).toHaveValue('');
    expect(search).toHaveFocus();
  });
});

describe('AdminPage: load more', () => {
  it('appends the next page, then hides the button and continues at the first new row', async () => {
    const more = deferred();
    const rows = subscribers(60);
    const list = fakeList(rows);
    const { user } = await renderLoggedIn(rows, {
      [LIST]: (request) =>
        request.url.searchParams.has('cursor') ? more.handler(request) : list(request),
    });
    expect(rowEmails()).toHaveLength(50);
    expect(screen.getByText('Showing 50 of 60 subscribers')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(screen.getByRole('button', { name: 'Loading more…' })).toBeDisabled();

    const cursorUrl = new URL('http://127.0.0.1/api/admin/subscribers?limit=50&cursor=50');
    more.release(list({ url: cursorUrl }) as FakeReply);
    expect(await screen.findByText('Showing all 60 subscribers')).toBeInTheDocument();
    expect(rowEmails()).toEqual(rows.map((row) => row.email));
    expect(screen.queryByRole('button', { name: /Load more/ })).not.toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'cat51@example.com' })).toHaveFocus();
  });
  it('keeps the button and says why when the next page cannot be loaded', async () => {
    const rows = subscribers(60);
    const list = fakeList(rows);
    const { user } = await renderLoggedIn(rows, {
      [LIST]: (request) =>
        request.url.searchParams.has('cursor') ? errorReply(500, 'internal_error') : list(request),
    });
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(ERROR_MESSAGES.internal_error);
    expect(screen.getByRole('button', { name: 'Load more' })).toBeEnabled();
    expect(rowEmails()).toHaveLength(50);
  });
});

describe('AdminPage: delete', () => {
  it('asks first; Escape cancels and gives focus back to the row', async () => {
    const { spy, user } = await renderLoggedIn(subscribers(3));
    const button = screen.getByRole('button', { name: 'Delete cat2@example.com' });
    await user.click(button);

    const dialog = screen.getByRole('alertdialog', { name: 'Delete cat2@example.com?' });
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    expect(cancel).toHaveFocus();
    // Tab goes round the dialog's two buttons, never to the page behind.
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Delete' })).toHaveFocus();
    await user.tab();
    expect(cancel).toHaveFocus();
    await user.tab({ shift: true });
    expect(within(dialog).getByRole('button', { name: 'Delete' })).toHaveFocus();
    await user.keyboard('{Escape}');

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(rowEmails()).toHaveLength(3);
    expect(spy.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);
  });

  it('removes the row at once, counts down, and confirms when the API agrees', async () => {
    const removal = deferred();
    const { spy, user } = await renderLoggedIn(subscribers(3), {
      [deleteRoute('cat2@example.com')]: removal.handler,
    });
    await user.click(screen.getByRole('button', { name: 'Delete cat2@example.com' }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );

    // Optimistic: gone before the API answers.
    expect(rowEmails()).toEqual(['cat1@example.com', 'cat3@example.com']);
    expect(screen.getByText('2 subscribers')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete cat3@example.com' })).toHaveFocus();

    removal.release(reply(204));
    expect(await screen.findByText('Deleted cat2@example.com.')).toBeInTheDocument();
    expect(callsTo(spy, deleteRoute('cat2@example.com'))).toHaveLength(1);
  });

  it('puts the row back in its place with a message when the delete fails', async () => {
    const { user } = await renderLoggedIn(subscribers(3), {
      [deleteRoute('cat2@example.com')]: () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await user.click(screen.getByRole('button', { name: 'Delete cat2@example.com' }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );

    expect(
      await screen.findByText(/^Could not delete cat2@example\.com\. We couldn't reach the server/),
    ).toBeInTheDocument();
    expect(rowEmails()).toEqual(['cat1@example.com', 'cat2@example.com', 'cat3@example.com']);
    expect(screen.getByText('3 subscribers')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete cat2@example.com' })).toHaveFocus();
  });

  it('encodes the address in the path', async () => {
    const odd: Subscriber = {
      email: 'a/b%c?d@example.com',
      createdAt: '2025-03-01T00:00:00.000Z',
      source: 'signup',
    };
    const { spy, user } = await renderLoggedIn([odd], {
      'DELETE /api/admin/subscribers/a%2Fb%25c%3Fd%40example.com': reply(204),
    });
    await user.click(screen.getByRole('button', { name: `Delete ${odd.email}` }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    expect(await screen.findByText(`Deleted ${odd.email}.`)).toBeInTheDocument();
    expect(screen.getByText('No one has signed up yet')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Subscribers' })).toHaveFocus();
    expect(spy).toHaveBeenCalledWith(
      '/api/admin/subscribers/a%2Fb%25c%3Fd%40example.com',
      expect.anything(),
    );
  });
});

describe('AdminPage: the session', () => {
  it('goes back to the login form when the list answers 401', async () => {
    mockApi({
      'GET /api/session': reply(200, LOGGED_IN),
      [LIST]: errorReply(401, 'unauthorized'),
    });
    render(<AdminPage />);
    expect(
      await screen.findByText('Your admin session ended. Please log in again.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveFocus();
  });

  it('goes back to the login form when a delete answers 401', async () => {
    const { user } = await renderLoggedIn(subscribers(2), {
      [deleteRoute('cat1@example.com')]: errorReply(401, 'unauthorized'),
    });
    await user.click(screen.getByRole('button', { name: 'Delete cat1@example.com' }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    expect(
      await screen.findByText('Your admin session ended. Please log in again.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
  });

  it('logs out, with a pending state, and asks for the password again', async () => {
    const logout = deferred();
    const { spy, user } = await renderLoggedIn(subscribers(2), {
      'POST /api/admin/logout': logout.handler,
    });
    await user.click(screen.getByRole('button', { name: 'Log out' }));
    expect(screen.getByRole('button', { name: 'Logging out…' })).toBeDisabled();

    logout.release(reply(204));
    expect(await screen.findByText('You have logged out.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveFocus();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(callsTo(spy, 'POST /api/admin/logout')).toHaveLength(1);
  });
});

describe('AdminPage on a server without ADMIN_PASSWORD', () => {
  it('says admin is disabled before any login attempt, and asks the API nothing', () => {
    const spy = mockApi({});
    render(
      <SiteContext.Provider value={{ ...BUILT_IN_SITE, adminEnabled: false }}>
        <AdminPage />
      </SiteContext.Provider>,
    );
    expect(
      screen.getByRole('heading', { level: 2, name: 'Admin is disabled on this server' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/set/)).toHaveTextContent(
      'To turn it on, set ADMIN_PASSWORD (at least 8 characters) where the server runs, and restart it.',
    );
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('AdminPage: the header', () => {
  const header = (site: typeof BUILT_IN_SITE) => {
    mockApi({});
    render(
      <SiteContext.Provider value={{ ...site, adminEnabled: false }}>
        <AdminPage />
      </SiteContext.Provider>,
    );
    return document.querySelector('.admin-header') as HTMLElement;
  };

  it('shows the cat mark on the demo only', () => {
    expect(header(BUILT_IN_SITE).querySelector('svg.cat-mark')).not.toBeNull();
  });

  it("shows a named site's logo, or no mark at all, never a cat", () => {
    const named = header({ ...BUILT_IN_SITE, name: 'Bramble Book Club' });
    expect(named).toHaveTextContent('Bramble Book Club admin');
    expect(named.querySelector('svg.cat-mark, img')).toBeNull();
    cleanup();
    const withLogo = header({
      ...BUILT_IN_SITE,
      name: 'Bramble Book Club',
      logoUrl: '/logo/ab.png',
    });
    expect(withLogo.querySelector('svg.cat-mark')).toBeNull();
    expect(withLogo.querySelector('img')?.getAttribute('src')).toMatch(/\/logo\/ab\.png$/);
  });
});

describe('AdminPage: notices', () => {
  it('clears the "Deleted …" notice on the next search and on the next page', async () => {
    const rows = subscribers(60);
    const { user } = await renderLoggedIn(rows, {
      [deleteRoute('cat2@example.com')]: reply(204),
      [deleteRoute('cat3@example.com')]: reply(204),
    });
    async function remove(email: string) {
      await user.click(screen.getByRole('button', { name: `Delete ${email}` }));
      await user.click(
        within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
      );
      expect(await screen.findByText(`Deleted ${email}.`)).toBeInTheDocument();
    }

    await remove('cat2@example.com');
    await user.type(screen.getByLabelText('Search'), 'cat{Enter}');
    await waitFor(() =>
      expect(screen.queryByText('Deleted cat2@example.com.')).not.toBeInTheDocument(),
    );

    await remove('cat3@example.com');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(screen.queryByText('Deleted cat3@example.com.')).not.toBeInTheDocument(),
    );
  });
});

describe('AdminPage: rows', () => {
  it('marks addresses that did not come from the signup form', async () => {
    const [signup, imported, cli] = subscribers(3) as [Subscriber, Subscriber, Subscriber];
    await renderLoggedIn([signup, { ...imported, source: 'import' }, { ...cli, source: 'cli' }]);
    const header = (email: string) => screen.getByRole('rowheader', { name: new RegExp(email) });
    expect(header('cat1@example.com')).toHaveTextContent(/^cat1@example\.com$/);
    expect(header('cat2@example.com')).toHaveTextContent('cat2@example.comimported');
    expect(header('cat3@example.com')).toHaveTextContent('cat3@example.comadded by CLI');
    // Delete is a quiet text button, not an outlined one.
    expect(screen.getByRole('button', { name: 'Delete cat1@example.com' })).toHaveClass(
      'button-text',
    );
    // Log out is quieter than the export.
    expect(screen.getByRole('button', { name: 'Log out' })).toHaveClass('button-text');
    expect(screen.getByRole('link', { name: 'Download CSV' })).not.toHaveClass('button-quiet');
  });
});

describe('AdminPage: import', () => {
  const PREVIEW = {
    id: 'staged-1',
    added: 2,
    alreadyThere: 1,
    invalid: 3,
    suppressed: 0,
    invalidLines: [
      {
        line: 3,
        value: 'not an address',
        message: '"not an address" is not a valid email address.',
      },
      { line: 5, value: 'dog@', message: '"dog@" is not a valid email address.' },
    ],
  };
  const csv = () => new File(['email\nnew@example.com\n'], 'club.csv', { type: 'text/csv' });

  async function chooseAndCheck(user: ReturnType<typeof userEvent.setup>) {
    await user.click(screen.getByText('Import addresses'));
    await user.upload(screen.getByLabelText('CSV file'), csv());
    await user.click(screen.getByRole('button', { name: 'Check file' }));
  }

  it('checks the file, shows the counts and invalid lines, then imports and reloads the list', async () => {
    const check = deferred();
    const commit = deferred();
    const rows = subscribers(2);
    const { spy, user } = await renderLoggedIn(rows, {
      [LIST]: (request) => fakeList(rows)(request),
      'POST /api/admin/imports': check.handler,
      'POST /api/admin/imports/staged-1/confirm': commit.handler,
    });
    await chooseAndCheck(user);
    expect(screen.getByRole('button', { name: 'Checking file…' })).toBeDisabled();
    const [upload] = callsTo(spy, 'POST /api/admin/imports');
    expect(upload?.init?.body).toBeInstanceOf(File);
    expect(new Headers(upload?.init?.headers).get('Content-Type')).toBe('text/csv');

    check.release(reply(200, PREVIEW));
    expect(await screen.findByRole('heading', { name: 'club.csv' })).toHaveFocus();
    expect(screen.getByText(/new addresses to add/)).toHaveTextContent('2 new addresses to add');
    expect(screen.getByText(/already on the list/)).toHaveTextContent('1 already on the list');
    expect(screen.getByText(/invalid lines/)).toHaveTextContent('3 invalid lines, skipped');
    const invalid = within(screen.getByRole('list', { name: 'Invalid lines' }));
    expect(invalid.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Line 3: "not an address" is not a valid email address.',
      'Line 5: "dog@" is not a valid email address.',
      '…and 1 more',
    ]);
    // Nothing is on the list yet.
    expect(rowEmails()).toHaveLength(2);

    rows.unshift({
      email: 'new@example.com',
      createdAt: '2026-01-01T00:00:00.000Z',
      source: 'import',
    });
    await user.click(screen.getByRole('button', { name: 'Import 2 addresses' }));
    expect(screen.getByRole('button', { name: 'Importing…' })).toBeDisabled();
    commit.release(reply(200, { added: 2, alreadyThere: 1, invalid: 3, suppressed: 0 }));
    expect(
      await screen.findByText('Imported 2 addresses from club.csv (1 already there, 3 invalid).'),
    ).toBeInTheDocument();
    await waitFor(() => expect(rowEmails()[0]).toMatch(/^new@example\.com/));
    expect(screen.getByRole('button', { name: 'Check file' })).toBeEnabled();
  });

  it('skips suppressed addresses unless the admin ticks the box, and then sends includeSuppressed', async () => {
    const rows = subscribers(1);
    const { spy, user } = await renderLoggedIn(rows, {
      [LIST]: (request) => fakeList(rows)(request),
      'POST /api/admin/imports': reply(200, {
        ...PREVIEW,
        added: 0,
        invalid: 0,
        invalidLines: [],
        suppressed: 2,
      }),
      'POST /api/admin/imports/staged-1/confirm': reply(200, {
        added: 2,
        alreadyThere: 1,
        invalid: 0,
        suppressed: 0,
      }),
    });
    await chooseAndCheck(user);
    expect(await screen.findByText(/on the suppression list/)).toHaveTextContent(
      '2 on the suppression list (they unsubscribed or were removed as a complaint), skipped',
    );
    // Nothing to add without them: only Close.
    expect(screen.queryByRole('button', { name: /^Import/ })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: /Include suppressed addresses/ }));
    expect(screen.getByText(/on the suppression list/)).not.toHaveTextContent('skipped');
    await user.click(screen.getByRole('button', { name: 'Import 2 addresses' }));
    await screen.findByText(/Imported 2 addresses from club.csv/);
    const [confirm] = callsTo(spy, 'POST /api/admin/imports/staged-1/confirm');
    expect(JSON.parse(String(confirm?.init?.body))).toEqual({ includeSuppressed: true });
  });

  it('says why a file was refused and lets the admin choose another', async () => {
    const { user } = await renderLoggedIn(subscribers(1), {
      'POST /api/admin/imports': reply(400, {
        error: { code: 'invalid_csv', message: 'The file is not valid CSV: Quote Not Closed.' },
      }),
    });
    await chooseAndCheck(user);
    expect(
      await screen.findByText('The file is not valid CSV: Quote Not Closed.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('CSV file')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Check file' })).toBeEnabled();
  });

  it('refuses a file over the size limit before sending it', async () => {
    const { spy, user } = await renderLoggedIn(subscribers(1));
    await user.click(screen.getByText('Import addresses'));
    const big = new File(['x'], 'huge.csv', { type: 'text/csv' });
    Object.defineProperty(big, 'size', { value: MAX_IMPORT_BYTES + 1 });
    await user.upload(screen.getByLabelText('CSV file'), big);
    await user.click(screen.getByRole('button', { name: 'Check file' }));
    expect(
      screen.getByText('The file is larger than 10 MiB. Please split it into smaller files.'),
    ).toBeInTheDocument();
    expect(callsTo(spy, 'POST /api/admin/imports')).toHaveLength(0);
  });

  it.each([
    [
      'an HTML page (nginx)',
      replyText(413, '<html><body><h1>413 Request Entity Too Large</h1></body></html>'),
    ],
    ['an empty body (Caddy)', replyText(413, '', 'text/plain')],
  ])('names a 413 from the proxy in front, with %s, as the proxy’s limit', async (_, answer) => {
    const { user } = await renderLoggedIn(subscribers(1), { 'POST /api/admin/imports': answer });
    await chooseAndCheck(user);
    const message = await screen.findByText(
      /^The server in front of catlist refused the file as too large/,
    );
    expect(message).toHaveTextContent('raise its body limit');
    expect(message).toHaveTextContent('docs/operations.md');
    expect(screen.queryByText(/larger than 10 MiB/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check file' })).toBeEnabled();
  });

  it('says the file is over 10 MiB when catlist itself answers 413', async () => {
    const { user } = await renderLoggedIn(subscribers(1), {
      'POST /api/admin/imports': errorReply(413, 'payload_too_large'),
    });
    await chooseAndCheck(user);
    expect(
      await screen.findByText(
        'The file is larger than 10 MiB. Please split it into smaller files.',
      ),
    ).toBeInTheDocument();
  });

  it('asks for a file before sending anything', async () => {
    const { spy, user } = await renderLoggedIn(subscribers(1));
    await user.click(screen.getByText('Import addresses'));
    await user.click(screen.getByRole('button', { name: 'Check file' }));
    expect(screen.getByText('Choose a CSV file first.')).toBeInTheDocument();
    expect(callsTo(spy, 'POST /api/admin/imports')).toHaveLength(0);
  });

  it('cancel forgets the checked file on the server too', async () => {
    const { spy, user } = await renderLoggedIn(subscribers(1), {
      'POST /api/admin/imports': reply(200, PREVIEW),
      'DELETE /api/admin/imports/staged-1': reply(204),
    });
    await chooseAndCheck(user);
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.getByLabelText('CSV file')).toHaveFocus();
    await waitFor(() => expect(callsTo(spy, 'DELETE /api/admin/imports/staged-1')).toHaveLength(1));
    expect(callsTo(spy, 'POST /api/admin/imports/staged-1/confirm')).toHaveLength(0);
  });
});

describe('AdminPage: confirmation and filters', () => {
  const rows: Subscriber[] = [
    { ...subscribers(1, 1)[0], confirmedAt: '2025-03-01T15:00:00.000Z' } as Subscriber,
    { ...subscribers(1, 2)[0], source: 'import', confirmedAt: null } as Subscriber,
    { ...subscribers(1, 3)[0], source: 'cli', confirmedAt: null } as Subscriber,
  ];

  it('counts the signups waiting for confirmation and shows when each address was confirmed', async () => {
    await renderLoggedIn(rows, { [LIST]: fakeList(rows, { pending: 4 }) });
    expect(screen.getByText('4 waiting for confirmation')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Confirmed' })).toBeInTheDocument();
    const cells = screen.getAllByRole('cell').filter((cell) => cell.className === 'confirmed');
    expect(cells.map((cell) => cell.textContent)).toEqual([
      expect.stringMatching(/^Confirmed: Mar 1, 2025/),
      'Confirmed: not confirmed',
      'Confirmed: not confirmed',
    ]);
  });

  it('filters by status and by source, counting the matches', async () => {
    const { spy, user } = await renderLoggedIn(rows, { [LIST]: fakeList(rows, { pending: 0 }) });
    await user.selectOptions(screen.getByLabelText('Status'), 'Not confirmed by mail');
    expect(await screen.findByText('2 of 3 subscribers match')).toBeInTheDocument();
    expect(rowEmails()).toEqual(['cat2@example.comimported', 'cat3@example.comadded by CLI']);

    await user.selectOptions(screen.getByLabelText('Source'), 'Import');
    expect(await screen.findByText('1 of 3 subscribers matches')).toBeInTheDocument();
    expect(screen.getByText('Showing the only match')).toBeInTheDocument();
    const last = callsTo(spy, LIST).at(-1)?.url.searchParams;
    expect([last?.get('status'), last?.get('source')]).toEqual(['unconfirmed', 'import']);

    await user.selectOptions(screen.getByLabelText('Source'), 'Command line');
    await user.selectOptions(screen.getByLabelText('Status'), 'Confirmed by mail');
    expect(await screen.findByText('No addresses match these filters')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    await waitFor(() => expect(rowEmails()).toHaveLength(3));
    expect(screen.getByLabelText('Status')).toHaveValue('');
    expect(screen.getByLabelText('Source')).toHaveValue('');
  });

  it('says no one has confirmed yet, not that no one signed up, while signups wait', async () => {
    await renderLoggedIn([], { [LIST]: fakeList([], { pending: 2 }) });
    expect(screen.getByText('2 waiting for confirmation')).toBeInTheDocument();
    expect(screen.getByText('No one has confirmed yet')).toBeInTheDocument();
    expect(screen.queryByText('No one has signed up yet')).not.toBeInTheDocument();
  });

  it('has no status filter and no Confirmed column with confirmation off', async () => {
    await renderLoggedIn(subscribers(2));
    expect(screen.queryByLabelText('Status')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Source')).toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Confirmed' })).not.toBeInTheDocument();
    expect(screen.queryByText(/waiting for confirmation/)).not.toBeInTheDocument();
  });
});

describe('AdminPage: put it on your site', () => {
  const EMBED = 'GET /api/admin/embed';
  const settings = {
    publicUrl: 'https://signup.example.com',
    embedOrigins: ['https://www.example.com'],
    challenge: false,
  };

  it('asks for the settings when opened, shows both snippets, and copies one', async () => {
    const { spy, user } = await renderLoggedIn(subscribers(1), { [EMBED]: reply(200, settings) });
    expect(callsTo(spy, EMBED)).toHaveLength(0);
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });

    await user.click(screen.getByText('Put it on your site'));
    const form = await screen.findByLabelText('HTML of the form');
    expect((form as HTMLTextAreaElement).value).toContain(
      '<form method="post" action="https://signup.example.com/subscribe">',
    );
    expect((screen.getByLabelText('HTML of the iframe') as HTMLTextAreaElement).value).toContain(
      '<iframe src="https://signup.example.com/"\n  title="Sign up for Cats Everywhere"',
    );
    expect(screen.getByText(/Listed now: https:\/\/www\.example\.com\./)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Copy form' }));
    expect(writeText).toHaveBeenCalledWith((form as HTMLTextAreaElement).value);
    expect(screen.getAllByRole('status').some((el) => el.textContent === 'Copied')).toBe(true);
  });

  it('puts the page to return to into the form, and says when its site may not be used', async () => {
    const { user } = await renderLoggedIn(subscribers(1), { [EMBED]: reply(200, settings) });
    await user.click(screen.getByText('Put it on your site'));
    const redirect = await screen.findByLabelText('After signing up, send people to (optional)');
    await user.type(redirect, 'https://elsewhere.example/thanks');
    expect(
      screen.getByText(
        'https://elsewhere.example is not in EMBED_ORIGINS, so catlist will refuse the form with an error page.',
      ),
    ).toBeInTheDocument();
    expect((screen.getByLabelText('HTML of the form') as HTMLTextAreaElement).value).toContain(
      '<input type="hidden" name="redirect" value="https://elsewhere.example/thanks">',
    );
  });

  it('says when copying is not possible, and selects the text instead', async () => {
    const { user } = await renderLoggedIn(subscribers(1), { [EMBED]: reply(200, settings) });
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    await user.click(screen.getByText('Put it on your site'));
    await user.click(await screen.findByRole('button', { name: 'Copy iframe' }));
    expect(screen.getByText(/^Could not copy: the text is selected/)).toBeInTheDocument();
    expect(screen.getByLabelText('HTML of the iframe')).toHaveFocus();
  });

  it('never sends the preview: it says where the form would go', async () => {
    const { spy, user } = await renderLoggedIn(subscribers(1), { [EMBED]: reply(200, settings) });
    await user.click(screen.getByText('Put it on your site'));
    const preview = within(
      (await screen.findByText('Preview of the form')).closest('figure') as HTMLElement,
    );
    await user.type(preview.getByLabelText('Email address'), 'cat@example.com');
    await user.click(preview.getByRole('button', { name: 'Sign up for Cats Everywhere' }));
    expect(
      preview.getByText(
        'Preview only: nothing was sent. On your site, this sends the address to https://signup.example.com/subscribe.',
      ),
    ).toBeInTheDocument();
    expect(spy.mock.calls.map(([url]) => String(url))).not.toContain(
      'https://signup.example.com/subscribe',
    );
  });
});
