import type { MailTexts } from '../mail-texts.js';

/** The mails in Spanish. */
export const es: MailTexts = {
  lang: 'es',
  orOpenLink: 'O abre este enlace:',
  why: (email, siteName, publicUrl) =>
    `Recibes este correo porque alguien, probablemente tú, introdujo ${email} en la página de suscripción de ${siteName} (${publicUrl}).`,
  unsubscribe: {
    lead: 'Para salir de la lista o dejar de recibir estos correos:',
    link: 'Darse de baja',
  },
  confirm: {
    subject: (siteName) => `Confirma tu suscripción a ${siteName}`,
    heading: 'Confirma tu suscripción',
    text: (email, siteName) => `Confirma que quieres añadir ${email} a la lista de ${siteName}.`,
    button: 'Confirmar mi suscripción',
    validFor: 'El enlace es válido durante 48 horas.',
    notYou: 'Si no fuiste tú, ignora este correo: la dirección no se añade sin confirmación.',
  },
  already: {
    subject: (siteName) => `Ya estás en la lista de ${siteName}`,
    heading: 'Ya estás en la lista',
    text: (email, siteName) =>
      `${email} ya está en la lista de ${siteName}, así que no ha cambiado nada.`,
  },
};
