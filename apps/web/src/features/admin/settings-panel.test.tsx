import { ERROR_MESSAGES, type SiteSettings } from '@catlist/contracts';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { callsTo, deferred, mockApi, reply } from '../../test/fetch-mock';
import { SettingsPanel } from './settings-panel';

const NOTHING_SET: SiteSettings = {
  name: null,
  tagline: null,
  privacyUrl: null,
  accentColor: null,
  showCount: true,
  texts: {},
};

function answer(settings: SiteSettings = NOTHING_SET, updatedAt: string | null = null) {
  return {
    settings,
    fallback: {
      name: 'Bake Club',
      tagline: 'Bread on Saturdays.',
      privacyUrl: null,
      accentColor: '#b3400b',
    },
    languages: ['en', 'de'],
    updatedAt,
  };
}

const TEXTS = {
  en: { formHeading: 'Join the list', formLede: 'Leave your address.', submit: 'Sign up' },
  de: { formHeading: 'Trag dich ein', formLede: 'Hinterlass deine Adresse.', submit: 'Anmelden' },
} as const;

function texts({ url }: { url: URL }) {
  const lang = (url.searchParams.get('lang') ?? 'en') as keyof typeof TEXTS;
  return reply(200, {
    lang,
    texts: {
      ...TEXTS[lang],
      privacyLink: 'Privacy policy',
      countZero: 'Be the first to sign up.',
      countOne: '{count} person has signed up.',
      countOther: '{count} people have signed up.',
    },
  });
}

async function open(routes: Parameters<typeof mockApi>[0] = {}) {
  const spy = mockApi({
    'GET /api/admin/settings': reply(200, answer()),
    'GET /api/texts': texts,
    'GET /api/stats': reply(200, { subscribers: 12 }),
    ...routes,
  });
  const user = userEvent.setup();
  const onUnauthorized = vi.fn();
  render(<SettingsPanel onUnauthorized={onUnauthorized} />);
  await user.click(screen.getByText('Site settings'));
  await screen.findByLabelText('Site name');
  return { spy, user, onUnauthorized };
}

const preview = () => within(screen.getByTestId('settings-preview'));

describe('the site settings panel', () => {
  it('shows what applies where nothing is set: the fallbacks and shipped texts as placeholders', async () => {
    await open();
    expect(screen.getByLabelText('Site name')).toHaveAttribute('placeholder', 'Bake Club');
    expect(screen.getByLabelText('Site name')).toHaveValue('');
    expect(screen.getByLabelText('Tagline')).toHaveAttribute('placeholder', 'Bread on Saturdays.');
    expect(screen.getByLabelText('Hex code')).toHaveAttribute('placeholder', '#b3400b');
    expect(await screen.findByLabelText('Form heading')).toHaveAttribute(
      'placeholder',
      'Join the list',
    );
    expect(screen.getByLabelText('Confirmation mail: subject')).toHaveAttribute(
      'placeholder',
      'Empty: the shipped text',
    );
    expect(screen.getByText(/Nothing set here yet/)).toBeInTheDocument();
    // The preview shows the same.
    expect(preview().getByText('Bake Club')).toBeInTheDocument();
    expect(preview().getByText('Bread on Saturdays.')).toBeInTheDocument();
    expect(await preview().findByText('Join the list')).toBeInTheDocument();
    expect(preview().getByText('Sign up')).toBeInTheDocument();
    expect(await preview().findByText('12 people have signed up.')).toBeInTheDocument();
  });

  it('updates the preview as the owner types, before anything is saved', async () => {
    const { spy, user } = await open();
    await user.type(screen.getByLabelText('Site name'), 'Sourdough Society');
    await user.type(await screen.findByLabelText('Button'), 'Count me in');
    await user.clear(screen.getByLabelText('Hex code'));
    await user.type(screen.getByLabelText('Hex code'), '#1a6b4c');
    await user.click(screen.getByLabelText('Show how many people have signed up'));

    expect(preview().getByText('Sourdough Society')).toBeInTheDocument();
    expect(preview().getByText('Count me in')).toBeInTheDocument();
    expect(preview().queryByText('12 people have signed up.')).not.toBeInTheDocument();
    expect(screen.getByTestId('settings-preview').style.getPropertyValue('--accent')).toBe(
      '#1a6b4c',
    );
    expect(screen.getByText(/^Contrast \d+\.\d\d:1 \(enough/)).toBeInTheDocument();
    expect(callsTo(spy, 'POST /api/admin/settings')).toHaveLength(0);
  });

  it('shows the texts of the language chosen', async () => {
    const { user } = await open();
    await user.selectOptions(screen.getByLabelText('Language'), 'de');
    await waitFor(() =>
      expect(screen.getByLabelText('Form heading')).toHaveAttribute('placeholder', 'Trag dich ein'),
    );
    await user.type(screen.getByLabelText('Form heading'), 'Hallo {{name}');
    expect(preview().getByText('Hallo Bake Club')).toBeInTheDocument();
  });

  it('saves everything at once: empty fields as unset, and says so', async () => {
    const saved = answer(
      { ...NOTHING_SET, name: 'Sourdough Society', texts: { en: { submit: 'Count me in' } } },
      '2026-12-07T22:00:00.000Z',
    );
    const { spy, user } = await open({ 'POST /api/admin/settings': reply(200, saved) });
    await user.type(screen.getByLabelText('Site name'), 'Sourdough Society');
    await user.type(await screen.findByLabelText('Button'), 'Count me in');
    await user.type(screen.getByLabelText('Form heading'), '   ');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await screen.findByText('Saved');
    expect(callsTo(spy, 'POST /api/admin/settings')[0]?.body).toEqual({
      name: 'Sourdough Society',
      tagline: null,
      privacyUrl: null,
      accentColor: null,
      showCount: true,
      texts: { en: { submit: 'Count me in' } },
    });
    expect(screen.getByText(/^Last saved/)).toBeInTheDocument();
  });

  it('refuses an accent with too little contrast before sending, tied to the field', async () => {
    const { spy, user } = await open();
    const hex = screen.getByLabelText('Hex code');
    await user.clear(hex);
    await user.type(hex, '#ffeb3b');
    expect(screen.getByText(/^Contrast \d+\.\d\d:1 \(too little/)).toBeInTheDocument();
    // The preview keeps a colour that could be saved.
    expect(screen.getByTestId('settings-preview').style.getPropertyValue('--accent')).toBe(
      '#b3400b',
    );
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(await screen.findByText(/^Nothing was saved/)).toBeInTheDocument();
    expect(hex).toHaveAttribute('aria-invalid', 'true');
    expect(hex).toHaveAccessibleDescription(/Too little contrast/);
    await waitFor(() => expect(hex).toHaveFocus());
    expect(callsTo(spy, 'POST /api/admin/settings')).toHaveLength(0);
  });

  it("shows the server's low_contrast message at the accent", async () => {
    const { user } = await open({
      'POST /api/admin/settings': reply(400, {
        error: { code: 'low_contrast', message: ERROR_MESSAGES.low_contrast },
      }),
    });
    await user.type(screen.getByLabelText('Hex code'), '#1a6b4c');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const hex = screen.getByLabelText('Hex code');
    await waitFor(() => expect(hex).toHaveAccessibleDescription(/pick one with more contrast/));
    expect(screen.getByText(/^Nothing was saved\. That colour/)).toBeInTheDocument();
  });

  it("ties invalid_request's issues to their fields, in another language too", async () => {
    const { user } = await open({
      'POST /api/admin/settings': reply(400, {
        error: {
          code: 'invalid_request',
          message: ERROR_MESSAGES.invalid_request,
          issues: [
            { path: ['privacyUrl'], message: 'must be an https: or http: URL' },
            { path: ['texts', 'de', 'submit'], message: 'Too long: at most 500 characters' },
          ],
        },
      }),
    });
    await user.type(screen.getByLabelText('Privacy policy link'), 'javascript:alert(1)');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    const privacy = screen.getByLabelText('Privacy policy link');
    await waitFor(() => expect(privacy).toHaveAttribute('aria-invalid', 'true'));
    expect(privacy).toHaveAccessibleDescription(/must be an https: or http: URL/);
    expect(screen.getByText('Nothing was saved. See the fields marked.')).toBeInTheDocument();
    // The German texts are shown, with the message at the German button's field.
    await user.selectOptions(screen.getByLabelText('Language'), 'de');
    expect(screen.getByLabelText('Button')).toHaveAccessibleDescription(/Too long/);
  });

  it('asks for a new login when the session ended', async () => {
    const { user, onUnauthorized } = await open({
      'POST /api/admin/settings': reply(401, {
        error: { code: 'unauthorized', message: ERROR_MESSAGES.unauthorized },
      }),
    });
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
  });

  it('says why the settings did not load, and tries again', async () => {
    const first = deferred();
    let calls = 0;
    mockApi({
      'GET /api/admin/settings': (request) => {
        calls += 1;
        return calls === 1 ? first.handler(request) : reply(200, answer());
      },
      'GET /api/texts': texts,
      'GET /api/stats': reply(200, { subscribers: 0 }),
    });
    const user = userEvent.setup();
    render(<SettingsPanel onUnauthorized={() => {}} />);
    await user.click(screen.getByText('Site settings'));
    expect(screen.getByText('Loading…')).toBeInTheDocument();
    first.release(
      reply(503, {
        error: { code: 'service_unavailable', message: ERROR_MESSAGES.service_unavailable },
      }),
    );
    expect(await screen.findByText(ERROR_MESSAGES.service_unavailable)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('Site name')).toBeInTheDocument();
  });
});

describe('the logo', () => {
  const png = () =>
    new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'logo.png', { type: 'image/png' });

  it('uploads the image at once and shows it in the preview; removes it again', async () => {
    const logoUrl = `/logo/${'b'.repeat(64)}.png`;
    const { spy, user } = await open({
      'POST /api/admin/logo': reply(200, { logoUrl }),
      'DELETE /api/admin/logo': reply(200, { logoUrl: null }),
    });
    await user.upload(screen.getByLabelText('Image'), png());
    await user.click(screen.getByRole('button', { name: 'Upload logo' }));
    expect(await screen.findByText(/^Logo uploaded/)).toBeInTheDocument();
    expect(screen.getByTestId('settings-preview').querySelector('img')).toHaveAttribute(
      'src',
      logoUrl,
    );
    const sent = spy.mock.calls.find(([, init]) => init?.method === 'POST')?.[1];
    expect(sent?.headers).toMatchObject({ 'Content-Type': 'image/png' });

    await user.click(screen.getByRole('button', { name: 'Remove logo' }));
    expect(await screen.findByText('Logo removed.')).toBeInTheDocument();
    expect(screen.getByTestId('settings-preview').querySelector('img')).toBeNull();
  });

  it('refuses an SVG before sending it, and says why', async () => {
    const { spy } = await open();
    // The file input offers PNG, JPEG and WebP; a dropped or forced SVG still gets its answer.
    const user = userEvent.setup({ applyAccept: false });
    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.svg', {
      type: 'image/svg+xml',
    });
    await user.click(screen.getByRole('button', { name: 'Upload logo' }));
    expect(await screen.findByText('Choose an image first.')).toBeInTheDocument();
    await user.upload(screen.getByLabelText('Image'), svg);
    await user.click(screen.getByRole('button', { name: 'Upload logo' }));
    expect(await screen.findByText(/an SVG file can carry scripts/)).toBeInTheDocument();
    expect(screen.getByLabelText('Image')).toHaveAccessibleDescription(/carry scripts/);
    expect(spy.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
  });

  it("shows the server's refusal", async () => {
    const { user } = await open({
      'POST /api/admin/logo': reply(415, {
        error: { code: 'unsupported_image', message: ERROR_MESSAGES.unsupported_image },
      }),
    });
    await user.upload(screen.getByLabelText('Image'), png());
    await user.click(screen.getByRole('button', { name: 'Upload logo' }));
    expect(await screen.findByText(ERROR_MESSAGES.unsupported_image)).toBeInTheDocument();
  });
});
