import { SITE_META_NAME, TEXTS_META_NAME } from '@catlist/contracts';
import { catalogFor } from '@catlist/contracts/texts';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { useSite } from '../lib/site';
import { useTexts } from '../lib/texts';
import { callsTo, mockApi, reply } from '../test/fetch-mock';
import { SiteProvider } from './site-provider';

const BAKE_CLUB = {
  name: 'Bake Club',
  tagline: 'Bread on Saturdays.',
  privacyUrl: 'https://bake.example/privacy',
  adminEnabled: false,
  challenge: false,
  languages: ['en', 'fr'],
  defaultLanguage: 'en',
  logoUrl: null,
};
const FRENCH = { lang: 'fr', texts: catalogFor('fr', false) };

function SiteName() {
  const site = useSite();
  const { t } = useTexts();
  return (
    <>
      <p>
        {site.name} / admin {site.adminEnabled ? 'on' : 'off'}
      </p>
      <p>{t('language')}</p>
    </>
  );
}

/** Writes the <meta> element the server puts into the index.html it serves. */
function serveMeta(content: string, name = SITE_META_NAME) {
  const meta = document.createElement('meta');
  meta.name = name;
  meta.content = content;
  document.head.append(meta);
}

afterEach(() => {
  for (const meta of document.head.querySelectorAll('meta[name^="catlist-"]')) meta.remove();
});

describe('SiteProvider', () => {
  it('takes the site from the page the server served, without asking the API', () => {
    serveMeta(JSON.stringify(BAKE_CLUB));
    serveMeta(JSON.stringify(FRENCH), TEXTS_META_NAME);
    const spy = mockApi({});
    render(
      <SiteProvider>
        <SiteName />
      </SiteProvider>,
    );
    // On the first render: no loading state, no request.
    expect(screen.getByText('Bake Club / admin off')).toBeInTheDocument();
    expect(screen.getByText('Langue')).toBeInTheDocument();
    expect(spy).not.toHaveBeenCalled();
    expect(document.documentElement.lang).toBe('fr');
  });

  it('asks GET /api/site when the page carries no site (dev server, SPA hosted elsewhere)', async () => {
    serveMeta('{"name": "not a whole site"}');
    const spy = mockApi({
      'GET /api/site': reply(200, BAKE_CLUB),
      'GET /api/texts': reply(200, FRENCH),
    });
    render(
      <SiteProvider>
        <SiteName />
      </SiteProvider>,
    );
    expect(screen.getByText('…')).toBeInTheDocument();
    expect(await screen.findByText('Bake Club / admin off')).toBeInTheDocument();
    expect(callsTo(spy, 'GET /api/site')).toHaveLength(1);
    expect(callsTo(spy, 'GET /api/texts')).toHaveLength(1);
  });

  it('says when the API cannot be reached and tries again on request', async () => {
    let attempts = 0;
    mockApi({
      'GET /api/site': () => (++attempts === 1 ? { status: 502 } : reply(200, BAKE_CLUB)),
      'GET /api/texts': reply(200, FRENCH),
    });
    render(
      <SiteProvider>
        <SiteName />
      </SiteProvider>,
    );
    // No texts yet, so no language to explain it in: the one sentence in the code.
    expect(await screen.findByText(/The API is not reachable right now/)).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Bake Club / admin off')).toBeInTheDocument();
  });
});
