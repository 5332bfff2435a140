import { useEffect, useId } from 'react';
import { AdminLoadView } from '../admin/admin-load-view';
import { useAdminLoad } from '../admin/use-admin-load';
import { announcementApi } from './announcement-api';
import { languageName } from './announcement-format';

interface MailPreviewProps {
  id: string;
  /** The saved versions' languages, the default first. */
  languages: readonly string[];
  /** The version shown (and tried by the test send); undefined: the default one. */
  language: string | undefined;
  onLanguage: (language: string) => void;
  /** Goes up with each save: the preview is asked for again. */
  version: number;
  onUnauthorized: () => void;
}

/**
 * The mail as a subscriber gets it: its subject, the HTML part in a frame of its own (the API
 * serves it as a page with its own security policy, no script; the frame is sandboxed too), and
 * the text part. Asked for again after each save and for each language chosen.
 */
export function MailPreview({
  id,
  languages,
  language,
  onLanguage,
  version,
  onUnauthorized,
}: MailPreviewProps) {
  const ids = useId();
  // A version removed by the last save falls back to the default one.
  const shown = language !== undefined && languages.includes(language) ? language : undefined;
  const [load, fetchPreview] = useAdminLoad(
    (signal) => announcementApi.preview(id, shown, signal),
    onUnauthorized,
  );
  useEffect(() => fetchPreview(), [id, shown, version]);

  return (
    <section className="announcement-preview" aria-labelledby={`${ids}-title`}>
      <h4 id={`${ids}-title`} className="announcement-section-title">
        Preview
      </h4>
      {languages.length > 1 && (
        <p className="announcement-preview-language">
          <label htmlFor={`${ids}-language`}>Version</label>{' '}
          <select
            id={`${ids}-language`}
            value={shown ?? languages[0]}
            onChange={(event) => onLanguage(event.target.value)}
          >
            {languages.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </p>
      )}
      <div aria-busy={load.kind === 'loading'}>
        <AdminLoadView load={load} onRetry={fetchPreview}>
          {(preview) => (
            <>
              <p className="announcement-subject">
                Subject: <strong>{preview.subject}</strong>
              </p>
              <iframe
                key={`${preview.language}-${version}`}
                className="announcement-frame"
                title={`The mail as sent: ${preview.subject}`}
                src={announcementApi.previewPageUrl(id, shown)}
                sandbox=""
              />
              <details className="announcement-text">
                <summary>Text version (for mail programs that show no HTML)</summary>
                <pre>{preview.text}</pre>
              </details>
            </>
          )}
        </AdminLoadView>
      </div>
    </section>
  );
}
