import type { MailTexts } from '../mail-texts.js';

/** The mails in German (informal "du", as the pages). */
export const de: MailTexts = {
  lang: 'de',
  orOpenLink: 'Oder öffne diesen Link:',
  why: (email, siteName, publicUrl) =>
    `Du bekommst diese Mail, weil jemand, wahrscheinlich du, ${email} auf der Anmeldeseite von ${siteName} (${publicUrl}) eingegeben hat.`,
  unsubscribe: {
    lead: 'Um die Liste zu verlassen oder keine solchen Mails mehr zu bekommen:',
    link: 'Abmelden',
  },
  confirm: {
    subject: (siteName) => `Bitte bestätige deine Anmeldung bei ${siteName}`,
    heading: 'Bitte bestätige deine Anmeldung',
    text: (email, siteName) => `Bitte bestätige, dass ${email} auf die Liste von ${siteName} soll.`,
    button: 'Anmeldung bestätigen',
    validFor: 'Der Link gilt 48 Stunden.',
    notYou:
      'Falls du das nicht warst, ignoriere diese Mail einfach: Ohne Bestätigung wird die Adresse nicht eingetragen.',
  },
  already: {
    subject: (siteName) => `Du bist schon auf der Liste von ${siteName}`,
    heading: 'Du bist schon auf der Liste',
    text: (email, siteName) =>
      `${email} ist schon auf der Liste von ${siteName}, es hat sich also nichts geändert.`,
  },
};
