import { fill, type SiteTexts } from '@catlist/contracts';
import { de } from './mail-texts/de.js';
import { en } from './mail-texts/en.js';
import { es } from './mail-texts/es.js';
import { fr } from './mail-texts/fr.js';

/**
 * Every text of the mails a visitor gets (confirmation/mail-message.ts), one file per language in
 * mail-texts/, beside the pages' files (packages/contracts/src/texts/): adding a language is one
 * more object of this shape there and a line in MAIL_LANGUAGES. Texts that name the address, the
 * site or a link are functions of them; the layout escapes what they return. They name no cats,
 * so unlike the pages they have no demo wording.
 */
export interface MailTexts {
  /** The mails' `lang`. */
  lang: string;
  /** Before the link, for those who cannot use the button. */
  orOpenLink: string;
  /** Why the reader got the mail: someone entered `email` on `siteName`'s signup page. */
  why: (email: string, siteName: string, publicUrl: string) => string;
  /** The footer's way out, the link's words. */
  unsubscribe: { lead: string; link: string };
  confirm: {
    subject: (siteName: string) => string;
    heading: string;
    text: (email: string, siteName: string) => string;
    button: string;
    validFor: string;
    notYou: string;
  };
  already: {
    subject: (siteName: string) => string;
    heading: string;
    text: (email: string, siteName: string) => string;
  };
}

/**
 * The mails' texts by language code: the same codes as the pages' (LANGUAGE_NAMES), which the
 * test (mail-texts.test.ts) holds them to, so that every language a site enables has its mails.
 */
export const MAIL_LANGUAGES: Readonly<Record<string, MailTexts>> = { en, de, fr, es };

/** English: the mails of a site that enables no other language. */
export const MAIL_TEXTS: MailTexts = en;

/**
 * The texts of a mail asked for in `language`: that language while the site enables it, else
 * the site's default. A row queued before languages were stored (null), or in a language the
 * operator has since dropped from SITE_LANGUAGES, goes in the default.
 */
export function mailTextsFor(
  language: string | null | undefined,
  site: { languages: readonly string[]; defaultLanguage: string },
): MailTexts {
  const enabled =
    language !== null && language !== undefined && site.languages.includes(language)
      ? language
      : site.defaultLanguage;
  return MAIL_LANGUAGES[enabled] ?? MAIL_LANGUAGES[site.defaultLanguage] ?? en;
}

/**
 * `texts` with the confirmation mail's subject and first paragraph the owner set for its language
 * (site settings: `mailConfirmSubject`, `mailConfirmIntro`), `{name}` the site's name and
 * `{email}` the address; what the owner did not set stays as shipped.
 */
export function withOwnTexts(
  texts: MailTexts,
  { mailConfirmSubject: subject, mailConfirmIntro: intro }: SiteTexts,
): MailTexts {
  if (subject === undefined && intro === undefined) return texts;
  return {
    ...texts,
    confirm: {
      ...texts.confirm,
      ...(subject === undefined ? {} : { subject: (name: string) => fill(subject, { name }) }),
      ...(intro === undefined
        ? {}
        : { text: (email: string, name: string) => fill(intro, { email, name }) }),
    },
  };
}
