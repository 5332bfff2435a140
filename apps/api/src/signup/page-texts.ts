/**
 * Every text of the pages the server renders for the signup form (signup/subscribe-pages.ts),
 * in one place so that a language is one object like this one. Texts with an address in them
 * come in parts; the page puts the (escaped) address between them.
 */
/** Text around an address: [before, after]. */
type AroundAddress = readonly [string, string];

/** The texts of the signup pages, in one language. */
export interface PageTexts {
  lang: string;
  formHeading: string;
  formLede: string;
  emailLabel: string;
  emailPlaceholder: string;
  submit: string;
  honeypotLabel: string;
  challengeNeedsScript: string;
  privacyLink: string;
  backToSite: string;
  errorPrefix: string;
  thanks: { title: string; heading: AroundAddress; text: string };
  pending: { title: string; heading: string; text: AroundAddress };
  problems: Record<400 | 403 | 413 | 415 | 429, string>;
  redirectRefused: { title: string; text: string };
  originRefused: string;
}

export const PAGE_TEXTS: PageTexts = {
  /** The pages' `lang`. */
  lang: 'en',
  formHeading: 'Join the list',
  formLede: 'Leave your address and we will write now and then, with cats.',
  emailLabel: 'Email',
  emailPlaceholder: 'you@example.com',
  submit: 'Sign up',
  honeypotLabel: 'Website (leave this empty)',
  /** In place of the form for browsers without JavaScript, when signups must solve a challenge. */
  challengeNeedsScript:
    'Signing up here needs JavaScript: the form asks your browser to solve a small puzzle that keeps bots out. Please turn JavaScript on and reload this page.',
  privacyLink: 'Privacy policy',
  /** The link from a result page back to the site's own signup page. */
  backToSite: 'Back to',
  /** Before a page title that reports a problem, so the tab says so. */
  errorPrefix: 'Error:',
  thanks: {
    title: 'Thanks for signing up',
    heading: ['Thanks for signing up, ', '!'],
    text: 'We will keep you posted. Changed your mind? You can take your address off the list at any time on our signup page.',
  },
  pending: {
    title: 'Check your inbox',
    heading: 'Check your inbox',
    text: ['We have sent a link to ', ': your address joins the list once you open it.'],
  },
  /** The problems a form post can meet, by status; each page adds the error's own message. */
  problems: {
    400: 'The form could not be read',
    403: 'This form cannot be used from that site',
    413: 'The form is too large',
    415: 'The form could not be read',
    429: 'Please wait a moment',
  },
  redirectRefused: {
    title: 'This form may not send you there',
    text: 'The page that held this form asked to send you on to an address this site does not allow. Nothing was signed up.',
  },
  /** A 403 from the origin check: the page holding the form is on a site that is not listed. */
  originRefused:
    'The page that held this form is on a site that may not send signups here. Nothing was signed up.',
};
