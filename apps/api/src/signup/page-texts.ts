import { DEFAULT_LANGUAGE, DEFAULT_SITE_NAME } from '@catlist/contracts';
import { type RequestTexts, textsFor } from '../http/language.js';

/**
 * Every text of the pages the server renders for the signup form (signup/subscribe-pages.ts),
 * taken from one language's catalog (packages/contracts/src/texts), so the pages come in the
 * visitor's language like the web app's. Texts with an address in them come in parts; the page
 * puts the (escaped) address between them.
 */
/** Text around an address: [before, after]; [text] alone when it names no address (an owner's). */
export type AroundAddress = readonly [string, string] | readonly [string];

/** The texts of the signup pages, in one language. */
export interface PageTexts {
  /** The pages' `lang`. */
  lang: string;
  formHeading: string;
  formLede: string;
  emailLabel: string;
  emailPlaceholder: string;
  submit: string;
  honeypotLabel: string;
  challengeNeedsScript: string;
  privacyLink: string;
  /** The link from a result page back to the site's own signup page. */
  backTo: (siteName: string) => string;
  /** A page title that reports a problem, so the tab says so. */
  errorTitle: (title: string) => string;
  thanks: { title: string; heading: AroundAddress; text: string };
  pending: { title: string; heading: string; text: AroundAddress };
  /** The problems a form post can meet, by status; each page adds the error's own message. */
  problems: Record<400 | 403 | 413 | 415 | 429, string>;
  redirectRefused: { title: string; text: string };
  /** A 403 from the origin check: the page holding the form is on a site that is not listed. */
  originRefused: string;
}

/** `text` split around its `{email}`; a text without one (an owner may write it so) stays whole. */
const around = (text: string): AroundAddress => {
  if (!text.includes('{email}')) return [text];
  const [before = '', after = ''] = text.split('{email}');
  return [before, after];
};

/** The pages' texts in one request's language. */
export function pageTexts({ lang, t }: RequestTexts): PageTexts {
  return {
    lang,
    formHeading: t('formHeading'),
    formLede: t('formLede'),
    emailLabel: t('emailLabel'),
    emailPlaceholder: t('emailPlaceholder'),
    submit: t('submit'),
    honeypotLabel: t('honeypotLabel'),
    challengeNeedsScript: t('challengeNeedsScript'),
    privacyLink: t('privacyLink'),
    backTo: (name) => t('backTo', { name }),
    errorTitle: (title) => t('errorTitle', { title }),
    thanks: {
      title: t('thanksTitle'),
      heading: around(t('thanksHeading')),
      text: t('thanksTextForm'),
    },
    pending: {
      title: t('pendingHeading'),
      heading: t('pendingHeading'),
      text: around(t('pendingText')),
    },
    problems: {
      400: t('problemUnreadable'),
      403: t('problemOrigin'),
      413: t('problemTooLarge'),
      415: t('problemUnreadable'),
      429: t('problemWait'),
    },
    redirectRefused: { title: t('redirectRefusedTitle'), text: t('redirectRefusedText') },
    originRefused: t('originRefused'),
  };
}

/** English, as the demo site says it: what a page gets when no request picked a language. */
export const PAGE_TEXTS: PageTexts = pageTexts(
  textsFor(DEFAULT_LANGUAGE, { name: DEFAULT_SITE_NAME }),
);
