import {
  fill,
  HEX_COLOUR,
  MAX_LOGO_BYTES,
  SITE_TEXT_KEYS,
  type SiteSettings,
  type SiteTextKey,
  type TextsResponse,
} from '@catlist/contracts';
import {
  type CSSProperties,
  type FormEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { SiteMark } from '../../components/site-header';
import { ApiError, api } from '../../lib/api-client';
import { useSite } from '../../lib/site';
import { translate } from '../../lib/texts';
import { formatSubscriberCount } from '../signup/subscriber-count';
import { accentContrast, accentReadable, formatRatio } from './accent-contrast';
import { adminApi } from './admin-api';
import { LoadOnOpen } from './admin-load-view';
import { describeAdminError, isUnauthorized } from './describe-admin-error';

type SettingsAnswer = Awaited<ReturnType<typeof adminApi.getSettings>>;

/** What each text is, in the admin's words; the long ones get a text area. */
const TEXT_LABELS: Record<SiteTextKey, string> = {
  formHeading: 'Form heading',
  formLede: 'Text under the heading',
  submit: 'Button',
  thanksHeading: 'Heading after signing up',
  thanksText: 'Text after signing up',
  pendingHeading: 'Heading while the address waits for confirmation',
  pendingText: 'Text while the address waits for confirmation',
  mailConfirmSubject: 'Confirmation mail: subject',
  mailConfirmIntro: 'Confirmation mail: first paragraph',
};
const LONG_TEXTS = new Set<SiteTextKey>([
  'formLede',
  'thanksText',
  'pendingText',
  'mailConfirmIntro',
]);
/** The mail's texts live with the server's mails, not in the pages' texts: no placeholder of them. */
const MAIL_TEXT_PLACEHOLDER = 'Empty: the shipped text';

/** Language codes as the admin reads them ("German (de)"), in English like the rest of it. */
const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const languageName = (code: string) => `${languageNames.of(code) ?? code} (${code})`;

/** The form's fields: text as typed ('' = not set: the fallback applies). */
interface Draft {
  name: string;
  tagline: string;
  privacyUrl: string;
  accentColor: string;
  showCount: boolean;
  texts: Record<string, Partial<Record<SiteTextKey, string>>>;
}

function draftOf(settings: SiteSettings): Draft {
  return {
    name: settings.name ?? '',
    tagline: settings.tagline ?? '',
    privacyUrl: settings.privacyUrl ?? '',
    accentColor: settings.accentColor ?? '',
    showCount: settings.showCount,
    texts: structuredClone(settings.texts),
  };
}

/** What is saved: empty fields as null (the fallback), empty texts left out. */
function settingsOf(draft: Draft): SiteSettings {
  const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
  const texts: SiteSettings['texts'] = {};
  for (const [lang, byKey] of Object.entries(draft.texts)) {
    const set = Object.entries(byKey).filter(([, text]) => text.trim() !== '');
    if (set.length > 0) texts[lang] = Object.fromEntries(set);
  }
  return {
    name: orNull(draft.name),
    tagline: orNull(draft.tagline),
    privacyUrl: orNull(draft.privacyUrl),
    accentColor: orNull(draft.accentColor)?.toLowerCase() ?? null,
    showCount: draft.showCount,
    texts,
  };
}

/** A field's key in the error map: its path in the body (`texts.de.submit`). */
const textField = (lang: string, key: SiteTextKey) => `texts.${lang}.${key}`;

/** Why the accent cannot be saved, or null when it can (empty: the fallback, always fine). */
function accentProblem(accent: string): string | null {
  const value = accent.trim();
  if (value === '') return null;
  if (!HEX_COLOUR.test(value)) return 'Give a colour like #1a6b4c (# and six hex digits).';
  const ratio = accentContrast(value);
  if (!accentReadable(value)) {
    return `Too little contrast (${formatRatio(ratio)}; at least 4.5:1 is needed): white text on it or it on the page would be hard to read. Pick a darker colour.`;
  }
  return null;
}

interface Status {
  tone: 'success' | 'error';
  text: string;
}

interface SettingsPanelProps {
  onUnauthorized: () => void;
}

/**
 * "Site settings": the name, tagline, privacy link, accent colour, the count on or off and the
 * texts per language (GET and POST /api/admin/settings, all saved at once), the logo (uploaded at
 * once, POST and DELETE /api/admin/logo), and a preview of the signup card as the owner types.
 * Asked for the first time the panel is opened.
 */
export function SettingsPanel({ onUnauthorized }: SettingsPanelProps) {
  return (
    <LoadOnOpen
      className="import settings"
      bodyClassName="settings-panel"
      summary="Site settings"
      get={adminApi.getSettings}
      onUnauthorized={onUnauthorized}
    >
      {(answer) => <SettingsForm initial={answer} onUnauthorized={onUnauthorized} />}
    </LoadOnOpen>
  );
}

/** The pages' texts of `lang` (for placeholders and the preview), asked for once per language. */
function useShippedTexts(lang: string): TextsResponse | null {
  const [cache, setCache] = useState<Record<string, TextsResponse>>({});
  useEffect(() => {
    if (cache[lang]) return;
    const controller = new AbortController();
    adminApi.getTexts(lang, controller.signal).then(
      (texts) => setCache((before) => ({ ...before, [lang]: texts })),
      // Without them the fields have no placeholder and the preview shows the keys: still usable.
      () => {},
    );
    return () => controller.abort();
  }, [lang, cache]);
  return cache[lang] ?? null;
}

function SettingsForm({
  initial,
  onUnauthorized,
}: {
  initial: SettingsAnswer;
  onUnauthorized: () => void;
}) {
  const site = useSite();
  const [answer, setAnswer] = useState(initial);
  const [draft, setDraft] = useState(() => draftOf(initial.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [saving, setSaving] = useState(false);
  const [lang, setLang] = useState(initial.languages[0] ?? 'en');
  const [logoUrl, setLogoUrl] = useState(site.logoUrl ?? null);
  const [count, setCount] = useState<number | null>(null);
  const shipped = useShippedTexts(lang);
  const ids = useId();
  const { fallback, languages } = answer;

  useEffect(() => {
    const controller = new AbortController();
    api.getStats(controller.signal).then(
      (stats) => setCount(stats.subscribers),
      () => {},
    );
    return () => controller.abort();
  }, []);

  const idOf = (field: string) => `${ids}-${field.replaceAll('.', '-')}`;
  const errorId = (field: string) => `${idOf(field)}-error`;

  function change(patch: Partial<Draft>) {
    setDraft((before) => ({ ...before, ...patch }));
    // A field changed since the refusal: its message no longer describes it.
    setErrors((before) =>
      Object.fromEntries(Object.entries(before).filter(([name]) => !(name in patch))),
    );
    setStatus(null);
  }

  function changeText(key: SiteTextKey, value: string) {
    setDraft((before) => ({
      ...before,
      texts: { ...before.texts, [lang]: { ...before.texts[lang], [key]: value } },
    }));
    setErrors(({ [textField(lang, key)]: _gone, ...rest }) => rest);
    setStatus(null);
  }

  /** After a refusal: the first field with an error takes focus (its message is tied to it). */
  function focusField(field: string) {
    // A text of another language is shown first.
    const text = /^texts\.([^.]+)\./.exec(field);
    if (text?.[1] && text[1] !== lang) setLang(text[1]);
    requestAnimationFrame(() => document.getElementById(idOf(field))?.focus());
  }

  function refuse(fieldErrors: Record<string, string>, text: string) {
    setErrors(fieldErrors);
    setStatus({ tone: 'error', text: `Nothing was saved. ${text}` });
    const first = Object.keys(fieldErrors)[0];
    if (first) focusField(first);
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const accent = accentProblem(draft.accentColor);
    if (accent) return refuse({ accentColor: accent }, 'The accent colour needs more contrast.');
    setSaving(true);
    setStatus(null);
    try {
      const saved = await adminApi.saveSettings(settingsOf(draft));
      setAnswer(saved);
      setDraft(draftOf(saved.settings));
      setErrors({});
      setStatus({ tone: 'success', text: 'Saved' });
    } catch (caught) {
      if (isUnauthorized(caught)) return onUnauthorized();
      if (caught instanceof ApiError && caught.code === 'low_contrast') {
        refuse({ accentColor: caught.message }, caught.message);
      } else if (caught instanceof ApiError && caught.issues && caught.issues.length > 0) {
        const byField: Record<string, string> = {};
        const elsewhere: string[] = [];
        for (const issue of caught.issues) {
          const field = issue.path.join('.');
          if (document.getElementById(idOf(field)) || /^texts\.[^.]+\.\w+$/.test(field)) {
            byField[field] ??= issue.message;
          } else {
            elsewhere.push(issue.message);
          }
        }
        refuse(byField, elsewhere.length > 0 ? elsewhere.join(' ') : 'See the fields marked.');
      } else {
        refuse({}, describeAdminError(caught));
      }
    } finally {
      setSaving(false);
    }
  }

  /** A label, the control (given its id and description) and its error line. */
  function field(
    name: string,
    label: string,
    control: (props: {
      id: string;
      'aria-describedby': string | undefined;
      'aria-invalid': boolean;
    }) => ReactNode,
    hint?: string,
  ) {
    const error = errors[name];
    const hintId = `${idOf(name)}-hint`;
    const describedBy = [hint ? hintId : null, error ? errorId(name) : null].filter(Boolean);
    return (
      <div className="settings-field">
        <label htmlFor={idOf(name)}>{label}</label>
        {control({
          id: idOf(name),
          'aria-describedby': describedBy.length > 0 ? describedBy.join(' ') : undefined,
          'aria-invalid': error !== undefined,
        })}
        {hint && (
          <p id={hintId} className="embed-hint">
            {hint}
          </p>
        )}
        <p id={errorId(name)} className="field-error">
          {error}
        </p>
      </div>
    );
  }

  const accentTyped = draft.accentColor.trim();
  const accentValid = HEX_COLOUR.test(accentTyped);
  const accentInForce = accentValid ? accentTyped.toLowerCase() : fallback.accentColor;
  const ratio = accentContrast(accentInForce);
  // A colour that cannot be saved is never what visitors see: the preview keeps the last one
  // that could be, while the line under the field says why.
  const previewAccent = accentReadable(accentInForce) ? accentInForce : fallback.accentColor;
  const typedTexts = draft.texts[lang] ?? {};

  return (
    <div className="settings-layout">
      <form className="settings-form" onSubmit={save} noValidate aria-busy={saving}>
        <p className="import-help">
          What visitors see on the signup page and in mails. An empty field keeps what is shown
          greyed in it (the server’s setting, or catlist’s own). Saved all at once.
        </p>
        <p className="embed-hint">
          {answer.updatedAt === null
            ? 'Nothing set here yet: the signup page shows the server’s settings.'
            : `Last saved ${new Date(answer.updatedAt).toLocaleString('en-GB')}.`}
        </p>
        {field('name', 'Site name', (props) => (
          <input
            {...props}
            type="text"
            autoComplete="off"
            maxLength={100}
            placeholder={fallback.name}
            value={draft.name}
            onChange={(event) => change({ name: event.target.value })}
          />
        ))}
        {field('tagline', 'Tagline', (props) => (
          <input
            {...props}
            type="text"
            autoComplete="off"
            maxLength={300}
            placeholder={fallback.tagline}
            value={draft.tagline}
            onChange={(event) => change({ tagline: event.target.value })}
          />
        ))}
        {field(
          'privacyUrl',
          'Privacy policy link',
          (props) => (
            <input
              {...props}
              type="url"
              inputMode="url"
              autoComplete="off"
              placeholder={fallback.privacyUrl ?? 'https://www.example.com/privacy'}
              value={draft.privacyUrl}
              onChange={(event) => change({ privacyUrl: event.target.value })}
            />
          ),
          'Linked under the form; a full address starting with https://.',
        )}

        <fieldset className="settings-accent">
          <legend>Accent colour</legend>
          <div className="settings-accent-row">
            <label htmlFor={`${idOf('accentColor')}-picker`} className="visually-hidden">
              Pick the accent colour
            </label>
            <input
              id={`${idOf('accentColor')}-picker`}
              type="color"
              value={accentInForce}
              onChange={(event) => change({ accentColor: event.target.value })}
            />
            <div className="settings-field">
              <label htmlFor={idOf('accentColor')}>Hex code</label>
              <input
                id={idOf('accentColor')}
                type="text"
                autoComplete="off"
                spellCheck={false}
                maxLength={7}
                placeholder={fallback.accentColor}
                value={draft.accentColor}
                aria-invalid={errors.accentColor !== undefined}
                aria-describedby={`${idOf('accentColor')}-ratio ${errorId('accentColor')}`}
                onChange={(event) => change({ accentColor: event.target.value })}
              />
            </div>
          </div>
          <p id={`${idOf('accentColor')}-ratio`} className="embed-hint">
            {accentTyped !== '' && !accentValid
              ? 'Give a colour like #1a6b4c.'
              : `Contrast ${formatRatio(ratio)} (${accentReadable(accentInForce) ? 'enough' : 'too little'}: at least 4.5:1 for white text on it and for it on the page).`}
          </p>
          <p id={errorId('accentColor')} className="field-error">
            {errors.accentColor}
          </p>
        </fieldset>

        <div className="settings-check">
          <input
            id={idOf('showCount')}
            type="checkbox"
            checked={draft.showCount}
            onChange={(event) => change({ showCount: event.target.checked })}
          />
          <label htmlFor={idOf('showCount')}>Show how many people have signed up</label>
        </div>

        <fieldset className="settings-texts">
          <legend>Texts</legend>
          {languages.length > 1 && (
            <div className="settings-field">
              <label htmlFor={`${ids}-lang`}>Language</label>
              <select
                id={`${ids}-lang`}
                value={lang}
                onChange={(event) => setLang(event.target.value)}
              >
                {languages.map((code) => (
                  <option key={code} value={code}>
                    {languageName(code)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <p className="embed-hint">
            In {languageName(lang)}. Empty: the shipped text, shown greyed. {'{name}'} is replaced
            by the site’s name, {'{email}'} by the visitor’s address.
          </p>
          {SITE_TEXT_KEYS.map((key) => {
            const name = textField(lang, key);
            const placeholder = key.startsWith('mail')
              ? MAIL_TEXT_PLACEHOLDER
              : (shipped?.texts[key] ?? '');
            const value = typedTexts[key] ?? '';
            return (
              <div key={name}>
                {field(name, TEXT_LABELS[key], (props) =>
                  LONG_TEXTS.has(key) ? (
                    <textarea
                      {...props}
                      rows={3}
                      maxLength={500}
                      placeholder={placeholder}
                      value={value}
                      onChange={(event) => changeText(key, event.target.value)}
                    />
                  ) : (
                    <input
                      {...props}
                      type="text"
                      autoComplete="off"
                      maxLength={500}
                      placeholder={placeholder}
                      value={value}
                      onChange={(event) => changeText(key, event.target.value)}
                    />
                  ),
                )}
              </div>
            );
          })}
        </fieldset>

        <div className="settings-actions">
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
          <p role="status" className={`settings-status notice-${status?.tone ?? 'none'}`}>
            {status?.text}
          </p>
        </div>
      </form>

      <div className="settings-side">
        <LogoField logoUrl={logoUrl} onChanged={setLogoUrl} onUnauthorized={onUnauthorized} />
        <SignupPreview
          name={draft.name.trim() || fallback.name}
          tagline={draft.tagline.trim() || fallback.tagline}
          privacy={draft.privacyUrl.trim() !== '' || fallback.privacyUrl !== null}
          accent={previewAccent}
          showCount={draft.showCount}
          count={count}
          logoUrl={logoUrl}
          shipped={shipped}
          typed={typedTexts}
          lang={lang}
        />
      </div>
    </div>
  );
}

interface PreviewProps {
  name: string;
  tagline: string;
  privacy: boolean;
  accent: string;
  showCount: boolean;
  count: number | null;
  logoUrl: string | null;
  shipped: TextsResponse | null;
  typed: Partial<Record<SiteTextKey, string>>;
  lang: string;
}

/**
 * The signup card as visitors would see it with what the form holds now, before it is saved:
 * made of the page's own classes, with the accent as a style property (allowed under the page's
 * security policy, which forbids inline style attributes in HTML, not styles set from script).
 */
function SignupPreview({
  name,
  tagline,
  privacy,
  accent,
  showCount,
  count,
  logoUrl,
  shipped,
  typed,
  lang,
}: PreviewProps) {
  const titleId = useId();
  const t = translate(shipped ?? { lang, texts: {} });
  const text = (key: 'formHeading' | 'formLede' | 'submit') =>
    fill(typed[key]?.trim() || t(key), { name });
  const style = {
    '--accent': accent,
    '--accent-hover': accent,
    '--accent-text': '#ffffff',
    '--focus': accent,
  } as CSSProperties;
  return (
    <figure className="settings-preview" aria-labelledby={titleId}>
      <figcaption id={titleId} className="embed-preview-title">
        Preview of the signup page (not saved yet)
      </figcaption>
      <div className="settings-preview-page" style={style} data-testid="settings-preview">
        <div className="site-header">
          <SiteMark name={name} logoUrl={logoUrl} />
          <p className="settings-preview-name">{name}</p>
          {tagline !== '' && <p className="tagline">{tagline}</p>}
        </div>
        <div className="card settings-preview-card">
          <p className="form-title">{text('formHeading')}</p>
          <p className="lede">{text('formLede')}</p>
          <span className="button settings-preview-button">{text('submit')}</span>
          {privacy && <p className="privacy-link">{t('privacyLink')}</p>}
        </div>
        {showCount && count !== null && (
          <p className="subscriber-count">{formatSubscriberCount(count, t, lang)}</p>
        )}
      </div>
    </figure>
  );
}

interface LogoFieldProps {
  logoUrl: string | null;
  onChanged: (logoUrl: string | null) => void;
  onUnauthorized: () => void;
}

/** The logo: upload one (at once, not with "Save settings") or remove it. */
function LogoField({ logoUrl, onChanged, onUnauthorized }: LogoFieldProps) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();

  async function run(action: () => Promise<{ logoUrl: string | null }>, done: string) {
    setBusy(true);
    setStatus(null);
    try {
      const result = await action();
      onChanged(result.logoUrl);
      setFile(null);
      if (input.current) input.current.value = '';
      setStatus({ tone: 'success', text: done });
    } catch (caught) {
      if (isUnauthorized(caught)) return onUnauthorized();
      setStatus({ tone: 'error', text: describeAdminError(caught) });
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    // Said at once rather than after sending what the server refuses.
    let problem: string | null = null;
    if (!file) problem = 'Choose an image first.';
    else if (file.type === 'image/svg+xml' || /\.svgz?$/i.test(file.name)) {
      problem =
        'SVG is not taken for a logo: an SVG file can carry scripts. Save it as PNG or WebP instead.';
    } else if (file.size > MAX_LOGO_BYTES) {
      problem = `The image is larger than ${MAX_LOGO_BYTES / 1024} KiB. Please make it smaller.`;
    }
    if (problem || !file) {
      setStatus({ tone: 'error', text: problem ?? '' });
      input.current?.focus();
      return;
    }
    const chosen = file;
    void run(() => adminApi.uploadLogo(chosen), 'Logo uploaded: the signup page shows it now.');
  }

  return (
    <form className="settings-logo" onSubmit={upload} noValidate aria-busy={busy}>
      <p className="form-title settings-logo-title">Logo</p>
      <p className="embed-hint">
        PNG, JPEG or WebP, at most {MAX_LOGO_BYTES / 1024} KiB; shown above the name. Uploading
        replaces the logo at once.
      </p>
      <label htmlFor={`${ids}-logo`}>Image</label>
      <div className="import-row">
        <input
          ref={input}
          id={`${ids}-logo`}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          disabled={busy}
          aria-describedby={`${ids}-logo-status`}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setStatus(null);
          }}
        />
        <button type="submit" className="button button-small" disabled={busy}>
          Upload logo
        </button>
        {logoUrl !== null && (
          <button
            type="button"
            className="button button-quiet button-small"
            disabled={busy}
            onClick={() => void run(adminApi.deleteLogo, 'Logo removed.')}
          >
            Remove logo
          </button>
        )}
      </div>
      <p
        id={`${ids}-logo-status`}
        role="status"
        className={`settings-status notice-${status?.tone ?? 'none'}`}
      >
        {status?.text}
      </p>
    </form>
  );
}
