import type { MailTexts } from '../mail-texts.js';

/** The mails in French. */
export const fr: MailTexts = {
  lang: 'fr',
  orOpenLink: 'Ou ouvrez ce lien :',
  why: (email, siteName, publicUrl) =>
    `Vous recevez ce message parce que quelqu’un, sans doute vous, a saisi ${email} sur la page d’inscription de ${siteName} (${publicUrl}).`,
  unsubscribe: {
    lead: 'Pour quitter la liste, ou ne plus recevoir ces messages :',
    link: 'Se désabonner',
  },
  confirm: {
    subject: (siteName) => `Merci de confirmer votre inscription à ${siteName}`,
    heading: 'Merci de confirmer votre inscription',
    text: (email, siteName) =>
      `Merci de confirmer que vous souhaitez inscrire ${email} sur la liste de ${siteName}.`,
    button: 'Confirmer mon inscription',
    validFor: 'Le lien est valable 48 heures.',
    notYou:
      'Si ce n’était pas vous, ignorez ce message : l’adresse n’est pas ajoutée sans confirmation.',
  },
  already: {
    subject: (siteName) => `Vous êtes déjà sur la liste de ${siteName}`,
    heading: 'Vous êtes déjà sur la liste',
    text: (email, siteName) => `${email} est déjà sur la liste de ${siteName} : rien n’a changé.`,
  },
};
