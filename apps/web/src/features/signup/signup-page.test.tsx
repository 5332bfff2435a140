import { EMAIL_MESSAGES, ERROR_MESSAGES, type SiteResponse } from '@catlist/contracts';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SiteContext } from '../../lib/site';
import { callsTo, deferred, mockApi, reply } from '../../test/fetch-mock';
import { SignupPage } from './signup-page';

const SIGNED_OUT = { email: null, subscribed: false, admin: false };
const SIGNED_UP = { email: 'tom@example.com', subscribed: true, admin: false };

function errorReply(
  status: number,
  code: keyof typeof ERROR_MESSAGES,
  headers = {},
  message: string = ERROR_MESSAGES[code],
) {
  return reply(status, { error: { code, message } }, headers);
}

/** A stats route whose answer grows each time it is asked, like the list after signups. */
function countingStats(start: number) {
  let subscribers = start;
  return () => reply(200, { subscribers: subscribers++ });
}

async function renderSignedOut(routes: Parameters<typeof mockApi>[0] = {}) {
  const spy = mockApi({
    'GET /api/session': reply(200, SIGNED_OUT),
    'GET /api/stats': reply(200, { subscribers: 7 }),
    ...routes,
  });
  const user = userEvent.setup();
  render(<SignupPage />);
  const input = await screen.findByLabelText('Email');
  return { spy, user, input, button: screen.getByRole('button', { name: 'Sign up' }) };
}

describe('SignupPage: loading', () => {
  it('shows a loading state until the session arrives, then the form', async () => {
    const session = deferred();
    mockApi({
      'GET /api/session': session.handler,
      'GET /api/stats': reply(200, { subscribers: 0 }),
    });
    render(<SignupPage />);
    expect(screen.getByText('Loading…')).toBeInTheDocument();
    expect(screen.getByRole('main')).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByLabelText('Email')).not.toBeInTheDocument();

    session.release(reply(200, SIGNED_OUT));
    expect(await screen.findByLabelText('Email')).toBeInTheDocument();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
    expect(screen.getByRole('main')).toHaveAttribute('aria-busy', 'false');
  });

  it('offers to try again when the session cannot be loaded', async () => {
    let attempts = 0;
    mockApi({
      'GET /api/session': () => {
        attempts++;
        if (attempts === 1) throw new TypeError('Failed to fetch');
        return reply(200, SIGNED_OUT);
      },
      'GET /api/stats': reply(200, { subscribers: 0 }),
    });
    const user = userEvent.setup();
    render(<SignupPage />);
    expect(await screen.findByText(/couldn't reach the server/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    const input = await screen.findByLabelText('Email');
    // The button that had focus is gone; focus lands on the field instead of the page top.
    expect(input).toHaveFocus();
  });
});

describe('SignupPage: the form', () => {
  it('has an Email field for autofill and a Sign up button, without grabbing focus', async () => {
    const { input, button } = await renderSignedOut();
    expect(input).toHaveAttribute('type', 'email');
    expect(input).toHaveAttribute('autocomplete', 'email');
    expect(input).not.toHaveFocus();
    expect(button).toBeEnabled();
    expect(screen.getByRole('heading', { level: 1, name: 'Cats Everywhere' })).toBeInTheDocument();
  });

  it('shows the subscriber count', async () => {
    await renderSignedOut();
    expect(await screen.findByText('7 people have signed up.')).toBeInTheDocument();
  });

  it('keeps the honeypot out of the accessibility tree and the tab order', async () => {
    const { user, input } = await renderSignedOut();
    // Only one textbox is exposed: the honeypot's wrapper is aria-hidden.
    expect(screen.getAllByRole('textbox')).toEqual([input]);
    const honeypot = document.querySelector<HTMLInputElement>('input[name="website"]');
    expect(honeypot).not.toBeNull();
    expect(honeypot?.closest('[aria-hidden="true"]')).not.toBeNull();
    expect(honeypot).toHaveAttribute('tabindex', '-1');

    await user.tab();
    expect(input).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Sign up' })).toHaveFocus();
    await user.tab();
    expect(honeypot).not.toHaveFocus();
  });

  it.each([
    ['nothing', '', EMAIL_MESSAGES.empty],
    ['an address without a domain dot', 'tom@localhost', EMAIL_MESSAGES.invalid],
    ['an overlong local part', `${'a'.repeat(65)}@example.com`, EMAIL_MESSAGES.localTooLong],
  ])('validates before sending: %s', async (_, typed, message) => {
    const { spy, user, input, button } = await renderSignedOut();
    if (typed !== '') await user.type(input, typed);
    await user.click(button);

    const error = await screen.findByText(message);
    expect(error).toHaveAttribute('aria-live', 'polite');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(message);
    expect(input).toHaveFocus();
    expect(callsTo(spy, 'POST /api/signup')).toHaveLength(0);
  });

  it('disables the button and shows progress while the signup runs', async () => {
    const signup = deferred();
    const { user, input } = await renderSignedOut({ 'POST /api/signup': signup.handler });
    await user.type(input, 'tom@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));

    const pending = screen.getByRole('button', { name: 'Signing up…' });
    expect(pending).toBeDisabled();
    expect(pending.closest('form')).toHaveAttribute('aria-busy', 'true');
    expect(input).toHaveValue('tom@example.com');

    signup.release(reply(200, { email: 'tom@example.com', subscribed: true }));
    expect(await screen.findByText(/Thanks for signing up/)).toBeInTheDocument();
  });

  it('signs up with the normalised address and the honeypot, then thanks and moves focus', async () => {
    const { spy, user, input } = await renderSignedOut({
      'POST /api/signup': ({ body }) =>
        reply(200, { email: (body as { email: string }).email, subscribed: true }),
      'GET /api/stats': countingStats(7),
    });
    expect(await screen.findByText('7 people have signed up.')).toBeInTheDocument();

    // Keyboard only: type, then Enter submits.
    await user.type(input, '  Tom@Example.COM {Enter}');

    const heading = await screen.findByRole('heading', {
      name: 'Thanks for signing up, tom@example.com!',
    });
    expect(heading).toHaveFocus();
    expect(callsTo(spy, 'POST /api/signup').map((call) => call.body)).toEqual([
      { email: 'tom@example.com', website: '' },
    ]);
    expect(screen.getByRole('button', { name: 'Unregister' })).toBeEnabled();
    expect(await screen.findByText('8 people have signed up.')).toBeInTheDocument();
  });

  it("shows the server's invalid_email message next to the field", async () => {
    const { user, input } = await renderSignedOut({
      'POST /api/signup': errorReply(400, 'invalid_email'),
    });
    await user.type(input, 'tom@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));

    expect(await screen.findByText(ERROR_MESSAGES.invalid_email)).toHaveAttribute(
      'aria-live',
      'polite',
    );
    expect(input).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Sign up' })).toBeEnabled();
  });

  it('tells how long to wait when rate limited', async () => {
    const { user, input } = await renderSignedOut({
      'POST /api/signup': errorReply(429, 'too_many_requests', { 'Retry-After': '42' }),
    });
    await user.type(input, 'tom@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));

    expect(
      await screen.findByText(
        'Too many sign-ups from your network. Please try again in 42 seconds.',
      ),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });

  it('says so when the network fails, and keeps what was typed', async () => {
    const { user, input } = await renderSignedOut({
      'POST /api/signup': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await user.type(input, 'tom@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));

    expect(
      await screen.findByText("We couldn't reach the server. Check your connection and try again."),
    ).toBeInTheDocument();
    expect(input).toHaveValue('tom@example.com');
    expect(screen.getByRole('button', { name: 'Sign up' })).toBeEnabled();
  });

  it('clears the error once a later attempt succeeds', async () => {
    const { user, input } = await renderSignedOut({
      'POST /api/signup': reply(200, { email: 'tom@example.com', subscribed: true }),
    });
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(await screen.findByText(EMAIL_MESSAGES.empty)).toBeInTheDocument();

    await user.type(input, 'tom@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    await screen.findByText(/Thanks for signing up/);
    expect(screen.queryByText(EMAIL_MESSAGES.empty)).not.toBeInTheDocument();
  });

  it('pre-fills an address the session remembers but that is no longer on the list', async () => {
    await renderSignedOut({
      'GET /api/session': reply(200, { email: 'tom@example.com', subscribed: false, admin: false }),
    });
    expect(screen.getByLabelText('Email')).toHaveValue('tom@example.com');
  });
});

describe('SignupPage: signed up', () => {
  async function renderSignedUp(routes: Parameters<typeof mockApi>[0]) {
    const spy = mockApi({
      'GET /api/session': reply(200, SIGNED_UP),
      'GET /api/stats': reply(200, { subscribers: 1 }),
      ...routes,
    });
    const user = userEvent.setup();
    render(<SignupPage />);
    await screen.findByRole('heading', { name: 'Thanks for signing up, tom@example.com!' });
    return { spy, user, button: screen.getByRole('button', { name: 'Unregister' }) };
  }

  it('shows the thanks panel on load when the session remembers a subscribed address', async () => {
    const { button } = await renderSignedUp({});
    expect(button).toBeEnabled();
    expect(screen.queryByLabelText('Email')).not.toBeInTheDocument();
    expect(await screen.findByText('1 person has signed up.')).toBeInTheDocument();
  });

  it('unregisters, confirms, brings the form back with focus and refreshes the count', async () => {
    const { spy, user, button } = await renderSignedUp({
      'POST /api/unregister': reply(200, { removed: 'tom@example.com' }),
      'GET /api/stats': countingStats(1),
    });
    await user.click(button);

    const notice = await screen.findByText('We have removed tom@example.com from the list!');
    expect(notice).toHaveAttribute('role', 'status');
    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(screen.getByLabelText('Email')).toHaveValue('');
    expect(callsTo(spy, 'POST /api/unregister')).toHaveLength(1);
    await waitFor(() => expect(callsTo(spy, 'GET /api/stats').length).toBeGreaterThanOrEqual(2));
  });

  it('disables the Unregister button and shows progress while it runs', async () => {
    const unregister = deferred();
    const { user, button } = await renderSignedUp({ 'POST /api/unregister': unregister.handler });
    await user.click(button);

    expect(screen.getByRole('button', { name: 'Unregistering…' })).toBeDisabled();
    unregister.release(reply(200, { removed: 'tom@example.com' }));
    expect(await screen.findByText(/We have removed tom@example.com/)).toBeInTheDocument();
  });

  it.each([
    [409, 'no_email_in_session', "You haven't submitted an email!"],
    [404, 'not_on_list', "That address isn't on our list"],
  ] as const)(
    'shows the seed message for %i %s and returns to the form',
    async (status, code, text) => {
      const { user, button } = await renderSignedUp({
        // Whatever the server's wording, the page shows the seed app's sentence for the code.
        'POST /api/unregister': errorReply(status, code, {}, 'Some other wording'),
      });
      await user.click(button);

      const notice = await screen.findByRole('status');
      await waitFor(() => expect(notice).toHaveTextContent(text));
      expect(screen.getByLabelText('Email')).toHaveFocus();
    },
  );

  it('stays signed up and lets the visitor retry after a network failure', async () => {
    let attempts = 0;
    const { user, button } = await renderSignedUp({
      'POST /api/unregister': () => {
        attempts++;
        if (attempts === 1) throw new TypeError('Failed to fetch');
        return reply(200, { removed: 'tom@example.com' });
      },
    });
    await user.click(button);

    const thanks = screen.getByRole('heading', { name: /Thanks for signing up/ }).parentElement;
    expect(
      await within(thanks as HTMLElement).findByText(/couldn't reach the server/),
    ).toHaveAttribute('aria-live', 'polite');
    const retry = screen.getByRole('button', { name: 'Unregister' });
    await waitFor(() => expect(retry).toHaveFocus());

    await user.keyboard('{Enter}');
    expect(await screen.findByText(/We have removed tom@example.com/)).toBeInTheDocument();
  });
});

describe('SignupPage: branding', () => {
  function renderFor(site: SiteResponse) {
    const spy = mockApi({
      'GET /api/session': reply(200, SIGNED_OUT),
      'GET /api/stats': reply(200, { subscribers: 7 }),
    });
    const { unmount } = render(
      <SiteContext.Provider value={site}>
        <SignupPage />
      </SiteContext.Provider>,
    );
    return Object.assign(spy, { unmount });
  }

  it("shows the site's name as heading and title, its tagline, and the privacy link under the form", async () => {
    renderFor({
      name: 'Bake Club',
      tagline: 'Bread on Saturdays.',
      privacyUrl: 'https://bake.example/privacy',
      adminEnabled: true,
      challenge: false,
      languages: ['en'],
      defaultLanguage: 'en',
      logoUrl: null,
    });
    await screen.findByLabelText('Email');
    expect(screen.getByRole('heading', { level: 1, name: 'Bake Club' })).toBeInTheDocument();
    expect(screen.getByText('Bread on Saturdays.')).toBeInTheDocument();
    expect(document.title).toBe('Bake Club');
    expect(screen.getByRole('link', { name: 'Privacy policy' })).toHaveAttribute(
      'href',
      'https://bake.example/privacy',
    );
    // A site of its own: no cat mark.
    expect(document.querySelector('.site-header svg.cat-mark')).toBeNull();
  });

  it('shows no tagline and no privacy link when the site has none', async () => {
    renderFor({
      name: 'Bake Club',
      tagline: '',
      privacyUrl: null,
      adminEnabled: true,
      challenge: false,
      languages: ['en'],
      defaultLanguage: 'en',
      logoUrl: null,
    });
    await screen.findByLabelText('Email');
    expect(document.querySelector('.tagline')).toBeNull();
    expect(screen.queryByRole('link', { name: 'Privacy policy' })).not.toBeInTheDocument();
  });

  it('shows no count when the site turned it off', async () => {
    const spy = renderFor({
      name: 'Bake Club',
      tagline: '',
      privacyUrl: null,
      adminEnabled: true,
      challenge: false,
      languages: ['en'],
      defaultLanguage: 'en',
      showCount: false,
    });
    await screen.findByLabelText('Email');
    // Once the stats have been answered (and rendered, were the count on), there is no count.
    await waitFor(() => expect(callsTo(spy, 'GET /api/stats')).toHaveLength(1));
    await act(async () => {});
    expect(screen.queryByText(/signed up/)).not.toBeInTheDocument();
  });

  it('shows the uploaded logo instead of the cat mark, on the demo too', async () => {
    for (const name of ['Bake Club', 'Cats Everywhere']) {
      const { unmount } = renderFor({
        name,
        tagline: '',
        privacyUrl: null,
        adminEnabled: true,
        challenge: false,
        languages: ['en'],
        defaultLanguage: 'en',
        logoUrl: `/logo/${'a'.repeat(64)}.png`,
      });
      await screen.findByLabelText('Email');
      const logo = document.querySelector('.site-header img.site-logo');
      expect(logo).toHaveAttribute('src', `/logo/${'a'.repeat(64)}.png`);
      // The name beside it says what it is: decorative for screen readers.
      expect(logo).toHaveAttribute('alt', '');
      expect(document.querySelector('.site-header svg.cat-mark')).toBeNull();
      unmount();
    }
  });

  it('is the cats without any configuration', async () => {
    await renderSignedOut();
    expect(screen.getByRole('heading', { level: 1, name: 'Cats Everywhere' })).toBeInTheDocument();
    expect(
      screen.getByText('News, photos and the occasional meow, straight to your inbox.'),
    ).toBeInTheDocument();
  });
});

describe('SignupPage: confirmation by email', () => {
  it('asks the visitor to check their inbox after signing up, with a way to cancel', async () => {
    const { user, input } = await renderSignedOut({
      'POST /api/signup': reply(200, {
        email: 'tom@example.com',
        subscribed: false,
        pending: true,
      }),
      'POST /api/unregister': reply(200, { removed: 'tom@example.com' }),
    });
    await user.type(input, 'tom@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    const heading = await screen.findByRole('heading', { name: 'Check your inbox' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByText(/joins the list once you open it/)).toHaveTextContent(
      'We have sent a link to tom@example.com: your address joins the list once you open it.',
    );
    await user.click(screen.getByRole('button', { name: 'Cancel my signup' }));
    expect(await screen.findByLabelText('Email')).toBeVisible();
    // It never was on the list: nothing says it was removed from it.
    expect(
      screen.getByText(
        'We won’t add tom@example.com to the list: the link in the mail we sent no longer works.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/removed/)).not.toBeInTheDocument();
  });

  it('still asks to check the inbox on a later visit while the session is pending', async () => {
    mockApi({
      'GET /api/session': reply(200, { ...SIGNED_OUT, email: 'tom@example.com', pending: true }),
      'GET /api/stats': reply(200, { subscribers: 7 }),
    });
    render(<SignupPage />);
    expect(await screen.findByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  });
});
