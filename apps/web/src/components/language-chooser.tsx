import { LANGUAGE_NAMES } from '@catlist/contracts';
import { useId, useState } from 'react';
import { useSite } from '../lib/site';
import { useTexts } from '../lib/texts';

/**
 * The language of the public pages, when the site enables more than one: a labelled native
 * select (keyboard and screen readers know it), each language named in its own words and marked
 * with its `lang`, so it is read in that language.
 */
export function LanguageChooser() {
  const { languages } = useSite();
  const { lang, t, setLanguage } = useTexts();
  const [busy, setBusy] = useState(false);
  const id = useId();
  if (languages.length < 2) return null;
  return (
    <p className="language-chooser">
      <label htmlFor={id}>{t('language')}</label>{' '}
      <select
        id={id}
        value={lang}
        disabled={busy}
        onChange={(event) => {
          setBusy(true);
          // A failure keeps the page as it is, in the language it was in.
          setLanguage(event.target.value).then(
            () => setBusy(false),
            () => setBusy(false),
          );
        }}
      >
        {languages.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code] ?? code}
          </option>
        ))}
      </select>
    </p>
  );
}
