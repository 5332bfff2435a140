import { ERROR_MESSAGES } from '@catlist/contracts';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { callsTo, deferred, mockApi, reply } from '../../test/fetch-mock';
import { ConfirmPage } from './confirm-page';
import { UnsubscribePage } from './unsubscribe-page';

const invalidToken = reply(400, {
  error: { code: 'invalid_token', message: ERROR_MESSAGES.invalid_token },
});
const down = reply(503, {
  error: { code: 'service_unavailable', message: ERROR_MESSAGES.service_unavailable },
});

function visit(path: string) {
  window.history.replaceState(null, '', path);
}
afterEach(() => visit('/'));

describe('ConfirmPage', () => {
  it('confirms with the token from the link, busy first, then says the address is on the list', async () => {
    visit('/confirm?token=abc123');
    const answer = deferred();
    const spy = mockApi({ 'POST /api/confirm': answer.handler });
    render(<ConfirmPage />);
    expect(screen.getByRole('heading', { name: 'Confirming your subscription…' })).toBeVisible();
    expect(document.title).toBe('Confirming your subscription… · Cats Everywhere');
    expect(screen.getByRole('main')).toHaveAttribute('aria-busy', 'true');
    answer.release(reply(200, { email: 'tom@example.com', subscribed: true }));
    const done = await screen.findByRole('heading', { name: 'You are on the list!' });
    // Focus moves in an effect after the render that shows the heading.
    await waitFor(() => expect(done).toHaveFocus());
    // The tab says what happened, as the heading does.
    expect(document.title).toBe('You are on the list! · Cats Everywhere');
    expect(screen.getByText('tom@example.com')).toBeVisible();
    expect(callsTo(spy, 'POST /api/confirm').map((call) => call.body)).toEqual([
      { token: 'abc123' },
    ]);
  });

  it('says an expired or broken link does not work, and offers to sign up again', async () => {
    visit('/confirm?token=old');
    mockApi({ 'POST /api/confirm': invalidToken });
    render(<ConfirmPage />);
    expect(await screen.findByRole('heading', { name: 'This link does not work' })).toBeVisible();
    expect(document.title).toBe('This link does not work · Cats Everywhere');
    expect(screen.getByText(/expired \(links work for 48 hours\)/)).toBeVisible();
    expect(screen.getByRole('link', { name: 'Sign up again' })).toHaveAttribute('href', '/');
  });

  it('treats a link without a token as broken, without asking the server', async () => {
    visit('/confirm');
    const spy = mockApi({});
    render(<ConfirmPage />);
    expect(screen.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
    expect(spy).not.toHaveBeenCalled();
  });

  it('offers to try again when the server fails, and then succeeds', async () => {
    visit('/confirm?token=abc123');
    let calls = 0;
    mockApi({
      'POST /api/confirm': () =>
        ++calls === 1 ? down : reply(200, { email: 'tom@example.com', subscribed: true }),
    });
    render(<ConfirmPage />);
    await screen.findByRole('heading', { name: 'We could not confirm your subscription' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'You are on the list!' })).toBeVisible();
  });
});

describe('UnsubscribePage', () => {
  it('names the address, and only the button takes it off the list', async () => {
    visit('/unsubscribe?token=t.sig');
    const spy = mockApi({
      'GET /api/unsubscribe': reply(200, { email: 'tom@example.com', subscribed: false }),
      'POST /api/unsubscribe': reply(200, { email: 'tom@example.com', subscribed: false }),
    });
    render(<UnsubscribePage />);
    expect(await screen.findByRole('heading', { name: 'Leave the list?' })).toBeVisible();
    expect(screen.getByText('tom@example.com')).toBeVisible();
    expect(callsTo(spy, 'POST /api/unsubscribe')).toHaveLength(0);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Unsubscribe' }));
    const done = await screen.findByRole('heading', { name: 'You are unsubscribed' });
    await waitFor(() => expect(done).toHaveFocus());
    expect(document.title).toBe('You are unsubscribed · Cats Everywhere');
    // Not a dead end: a way back to the signup page.
    expect(screen.getByRole('link', { name: 'Sign up again' })).toHaveAttribute('href', '/');
    const [post] = callsTo(spy, 'POST /api/unsubscribe');
    expect(post?.url.searchParams.get('token')).toBe('t.sig');
  });

  it('says so when the link is not valid', async () => {
    visit('/unsubscribe?token=forged');
    mockApi({ 'GET /api/unsubscribe': invalidToken });
    render(<UnsubscribePage />);
    expect(await screen.findByRole('heading', { name: 'This link does not work' })).toBeVisible();
  });

  it('keeps the button and shows the error when unsubscribing fails', async () => {
    visit('/unsubscribe?token=t.sig');
    mockApi({
      'GET /api/unsubscribe': reply(200, { email: 'tom@example.com', subscribed: false }),
      'POST /api/unsubscribe': down,
    });
    render(<UnsubscribePage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Unsubscribe' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/temporarily unavailable/);
    expect(screen.getByRole('button', { name: 'Unsubscribe' })).toBeEnabled();
  });
});
