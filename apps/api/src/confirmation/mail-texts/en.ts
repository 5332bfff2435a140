import type { MailTexts } from '../mail-texts.js';

/** The mails in English: the wording the other languages translate. */
export const en: MailTexts = {
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
