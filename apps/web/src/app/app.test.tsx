import { catalogFor } from '@catlist/contracts/texts';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { mockApi, reply } from '../test/fetch-mock';
import { App } from './app';
import { SiteProvider } from './site-provider';

const CATS = {
  name: 'Cats Everywhere',
  tagline: 'News, photos and the occasional meow, straight to your inbox.',
  privacyUrl: null,
  adminEnabled: true,
  challenge: false,
  languages: ['en', 'de'],
  defaultLanguage: 'en',
  logoUrl: null,
};

const texts = (lang: string) => reply(200, { lang, texts: catalogFor(lang, true) });

function visit(path: string) {
  window.history.replaceState(null, '', path);
  mockApi({
    'GET /api/session': reply(200, { email: null, subscribed: false, admin: false }),
    'GET /api/stats': reply(200, { subscribers: 2 }),
    'GET /api/site': reply(200, CATS),
    'GET /api/texts': ({ url }) => texts(url.searchParams.get('lang') ?? 'en'),
  });
  render(
    <SiteProvider>
      <App />
    </SiteProvider>,
  );
}

afterEach(() => window.history.replaceState(null, '', '/'));

describe('App routing', () => {
  it('shows the signup page at /', async () => {
    visit('/');
    expect(await screen.findByLabelText('Email')).toBeInTheDocument();
    expect(document.title).toBe('Cats Everywhere');
  });

  it('loads the admin page at /admin on demand', async () => {
    visit('/admin');
    expect(await screen.findByLabelText('Password')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(document.title).toBe('Admin · Cats Everywhere');
  });

  it('shows a not-found view with a link home for unknown paths, and follows it in-app', async () => {
    visit('/no/such/page');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Page not found' }),
    ).toBeInTheDocument();
    expect(screen.getByText('/no/such/page')).toBeInTheDocument();
    expect(document.title).toBe('Page not found · Cats Everywhere');
    // The site header stays: the cat mark and the site's name, linking home.
    expect(screen.getByRole('banner')).toContainElement(
      screen.getByRole('link', { name: 'Cats Everywhere' }),
    );
    expect(screen.getByRole('link', { name: 'Cats Everywhere' })).toHaveAttribute('href', '/');

    await userEvent.setup().click(screen.getByRole('link', { name: 'Go to the signup page' }));
    expect(window.location.pathname).toBe('/');
    expect(await screen.findByLabelText('Email')).toBeInTheDocument();
  });

  it('switches language with the chooser: texts, <html lang>, and the cookie for the server', async () => {
    visit('/');
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText('Language'), 'Deutsch');
    expect(await screen.findByLabelText('E-Mail')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Anmelden' })).toBeInTheDocument();
    expect(screen.getByLabelText('Sprache')).toHaveValue('de');
    expect(document.documentElement.lang).toBe('de');
    expect(document.cookie).toMatch(/(^|; )lang=de/);
    await user.selectOptions(screen.getByLabelText('Sprache'), 'English');
    expect(await screen.findByLabelText('Email')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
  });

  it('returns to the previous page on history back', async () => {
    visit('/missing');
    await userEvent
      .setup()
      .click(await screen.findByRole('link', { name: 'Go to the signup page' }));
    await screen.findByLabelText('Email');

    window.history.back();
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});
