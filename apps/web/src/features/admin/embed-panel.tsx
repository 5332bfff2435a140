import type { EmbedSettings } from '@catlist/contracts';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useSite } from '../../lib/site';
import { adminApi } from './admin-api';
import { LoadOnOpen } from './admin-load-view';
import { FORM_WORDS, formSnippet, iframeSnippet, subscribeUrl } from './embed-snippet';

/** The origin of `url`, or null when it is not an absolute http(s) address. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** "https://a.example and https://b.example", as a sentence lists them. */
function listed(origins: readonly string[]): string {
  if (origins.length <= 1) return origins.join('');
  return `${origins.slice(0, -1).join(', ')} and ${origins.at(-1)}`;
}

interface EmbedPanelProps {
  onUnauthorized: () => void;
}

/**
 * "Put it on your site": the HTML to paste into another website, as a plain form that posts to
 * POST /subscribe (with a preview of it) or as an iframe of the signup page, each with a copy
 * button. Its settings (GET /api/admin/embed) are asked for the first time the panel is opened.
 */
export function EmbedPanel({ onUnauthorized }: EmbedPanelProps) {
  return (
    <LoadOnOpen
      className="import embed"
      bodyClassName="embed-panel"
      summary="Put it on your site"
      get={adminApi.getEmbedSettings}
      onUnauthorized={onUnauthorized}
    >
      {(settings) => <EmbedSnippets settings={settings} />}
    </LoadOnOpen>
  );
}

function EmbedSnippets({ settings }: { settings: EmbedSettings }) {
  const site = useSite();
  const [redirect, setRedirect] = useState('');
  const redirectId = `${useId()}-redirect`;
  const { publicUrl, embedOrigins, challenge } = settings;
  const options = { publicUrl, siteName: site.name, redirect: redirect.trim(), challenge };
  const redirectOrigin = redirect.trim() === '' ? null : originOf(redirect.trim());
  let redirectProblem: string | null = null;
  if (redirect.trim() !== '') {
    if (redirectOrigin === null) {
      redirectProblem = 'Give a full address, starting with https://.';
    } else if (!embedOrigins.includes(redirectOrigin)) {
      redirectProblem = `${redirectOrigin} is not in EMBED_ORIGINS, so catlist will refuse the form with an error page.`;
    }
  }
  const origins =
    embedOrigins.length === 0
      ? 'None is listed yet: add your site’s origin (such as https://www.example.com) first.'
      : `Listed now: ${listed(embedOrigins)}.`;

  return (
    <>
      <p className="embed-help">
        Take signups on another website: paste one of these into its HTML. Both send addresses to
        this list, at <code>{publicUrl}</code>.
      </p>

      <section className="embed-section" aria-labelledby={`${redirectId}-form`}>
        <h3 id={`${redirectId}-form`} className="embed-title">
          A plain HTML form
        </h3>
        <p>
          {challenge ? 'Takes' : 'Works without JavaScript and takes'} the look of your site. It
          posts to <code>{subscribeUrl(publicUrl)}</code>; the hidden “website” field catches bots,
          keep it.
        </p>
        {challenge && (
          <p>
            This list asks every signup to solve a challenge: the form carries the widget that
            solves it, so it needs JavaScript, and your site’s origin must be in EMBED_ORIGINS.
          </p>
        )}
        <div className="embed-field">
          <label htmlFor={redirectId}>After signing up, send people to (optional)</label>
          <input
            id={redirectId}
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://www.example.com/thanks"
            value={redirect}
            aria-describedby={`${redirectId}-hint`}
            onChange={(event) => setRedirect(event.target.value)}
          />
          <p id={`${redirectId}-hint`} className="embed-hint">
            {redirectProblem ??
              'Only a page on a site listed in EMBED_ORIGINS; empty: catlist shows its own page.'}
          </p>
        </div>
        <Snippet label="HTML of the form" copyLabel="Copy form" text={formSnippet(options)} />
        <FormPreview publicUrl={publicUrl} siteName={site.name} />
      </section>

      <section className="embed-section" aria-labelledby={`${redirectId}-iframe`}>
        <h3 id={`${redirectId}-iframe`} className="embed-title">
          The signup page in an iframe
        </h3>
        <p>
          Shows this signup page inside yours, with its confirmation steps. Browsers show it only on
          sites whose origin is in <code>EMBED_ORIGINS</code> on this server. {origins}
        </p>
        <Snippet label="HTML of the iframe" copyLabel="Copy iframe" text={iframeSnippet(options)} />
      </section>
    </>
  );
}

/** A snippet to copy: the text (selectable, read-only) and a copy button saying what it did. */
function Snippet({ label, copyLabel, text }: { label: string; copyLabel: string; text: string }) {
  const id = `${useId()}-snippet`;
  const area = useRef<HTMLTextAreaElement>(null);
  const [status, setStatus] = useState('');
  // A changed snippet has not been copied yet.
  useEffect(() => setStatus(''), [text]);

  async function copy() {
    try {
      // Missing outside secure contexts (plain http other than localhost), and may be refused.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus('Copied');
    } catch {
      area.current?.focus();
      area.current?.select();
      setStatus('Could not copy: the text is selected, press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  }

  return (
    <div className="embed-snippet">
      <label htmlFor={id}>{label}</label>
      <textarea
        ref={area}
        id={id}
        readOnly
        spellCheck={false}
        rows={text.split('\n').length}
        value={text}
      />
      <div className="embed-copy">
        <button type="button" className="button button-quiet button-small" onClick={copy}>
          {copyLabel}
        </button>
        <span role="status" className="embed-status">
          {status}
        </span>
      </div>
    </div>
  );
}

/**
 * The form as a visitor of the other site sees it (without that site's styles), made of real
 * elements: the page's security policy allows no inline styles, which an srcdoc frame of the
 * snippet would need. It never sends anything: submitting it says where it would have gone.
 */
function FormPreview({ publicUrl, siteName }: { publicUrl: string; siteName: string }) {
  const ids = useId();
  const [note, setNote] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNote(
      `Preview only: nothing was sent. On your site, this sends the address to ${subscribeUrl(publicUrl)}.`,
    );
  }
  return (
    <figure className="embed-preview">
      <figcaption className="embed-preview-title">Preview of the form</figcaption>
      <form method="post" action={subscribeUrl(publicUrl)} onSubmit={submit}>
        <label htmlFor={`${ids}-email`}>{FORM_WORDS.email}</label>
        <input id={`${ids}-email`} type="email" name="email" required autoComplete="email" />
        <div className="honeypot" aria-hidden="true">
          <label htmlFor={`${ids}-website`}>{FORM_WORDS.honeypot}</label>
          <input
            id={`${ids}-website`}
            type="text"
            name="website"
            tabIndex={-1}
            autoComplete="off"
          />
        </div>
        <button type="submit" className="button button-small">
          {FORM_WORDS.submit(siteName)}
        </button>
      </form>
      <p role="status" className="embed-status">
        {note}
      </p>
    </figure>
  );
}
