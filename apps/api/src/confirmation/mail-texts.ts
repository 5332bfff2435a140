/**
 * Every text of the mails a visitor gets (confirmation/mail-message.ts), in one place, so that a
 * language is one more object of this shape. Texts that name the address, the site or a link are
 * functions of them; the layout escapes what they return.
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

export const MAIL_TEXTS: MailTexts = {
  lang: 'en',
  orOpenLink: 'Or open this link:',
  why: (email, siteName, publicUrl) =>
    `You got this mail because someone, probably you, entered ${email} on the signup page of ${siteName} (${publicUrl}).`,
  unsubscribe: {
    lead: 'To leave the list, or to stop these mails:',
    link: 'Unsubscribe',
  },
  confirm: {
    subject: (siteName) => `Please confirm your subscription to ${siteName}`,
    heading: 'Please confirm your subscription',
    text: (email, siteName) => `Please confirm that you want ${email} on the ${siteName} list.`,
    button: 'Confirm my subscription',
    validFor: 'The link works for 48 hours.',
    notYou: 'If it was not you, ignore this mail: the address is not added without confirmation.',
  },
  already: {
    subject: (siteName) => `You are already on the ${siteName} list`,
    heading: 'You are already on the list',
    text: (email, siteName) => `${email} is already on the ${siteName} list, so nothing changed.`,
  },
};
