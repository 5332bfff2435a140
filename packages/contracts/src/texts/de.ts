import { MAX_EMAIL_LENGTH, MAX_LOCAL_PART_LENGTH } from '../email.js';
import type { LanguageFile } from './catalog.js';

/** German. */
export const de: LanguageFile = {
  texts: {
    loading: 'Wird geladen …',
    tryAgain: 'Erneut versuchen',
    somethingWrong: 'Etwas ist schiefgelaufen. Bitte versuche es noch einmal.',
    privacyLink: 'Datenschutzerklärung',
    language: 'Sprache',
    goHome: 'Zur Anmeldeseite',
    signUpAgain: 'Erneut anmelden',
    formHeading: 'Trag dich ein',
    formLede: 'Hinterlass deine Adresse, und wir schreiben dir ab und zu.',
    emailLabel: 'E-Mail',
    emailPlaceholder: 'du@example.com',
    submit: 'Anmelden',
    submitting: 'Wird angemeldet …',
    honeypotLabel: 'Website (bitte leer lassen)',
    challengeNeedsScript:
      'Für die Anmeldung hier braucht es JavaScript: Das Formular lässt Ihren Browser ein kleines Rätsel lösen, das Bots fernhält. Bitte schalten Sie JavaScript ein und laden Sie die Seite neu.',
    rateLimited:
      'Zu viele Anmeldungen aus deinem Netzwerk. Bitte versuche es in {wait} noch einmal.',
    challengeRefused: 'Die Spam-Prüfung hat nicht geklappt. Bitte versuche es noch einmal.',
    waitSecondOne: '{n} Sekunde',
    waitSecondOther: '{n} Sekunden',
    waitMinuteOne: '{n} Minute',
    waitMinuteOther: '{n} Minuten',
    waitHourOne: '{n} Stunde',
    waitHourOther: '{n} Stunden',
    thanksTitle: 'Danke für deine Anmeldung',
    thanksHeading: 'Danke für deine Anmeldung, {email}!',
    thanksText:
      'Wir halten dich auf dem Laufenden. Du hast es dir anders überlegt? Du kannst deine Adresse jederzeit wieder von der Liste nehmen.',
    thanksTextForm:
      'Wir halten dich auf dem Laufenden. Du hast es dir anders überlegt? Du kannst deine Adresse jederzeit auf unserer Anmeldeseite wieder von der Liste nehmen.',
    pendingHeading: 'Schau in dein Postfach',
    pendingText:
      'Wir haben einen Link an {email} geschickt: Sobald du ihn öffnest, kommt deine Adresse auf die Liste.',
    unregister: 'Abmelden',
    cancelSignup: 'Anmeldung zurückziehen',
    unregistering: 'Wird abgemeldet …',
    removedPending:
      'Wir nehmen {email} nicht in die Liste auf: Der Link in unserer Mail funktioniert nicht mehr.',
    removed: 'Wir haben {email} von der Liste genommen!',
    countZero: 'Noch hat sich niemand angemeldet. Sei die oder der Erste!',
    countOne: '{count} Person hat sich angemeldet.',
    countOther: '{count} Personen haben sich angemeldet.',
    notFoundTitle: 'Seite nicht gefunden',
    notFoundText: 'Unter {path} gibt es keine Seite.',
    reloadTitle: 'Diese Seite konnte nicht geladen werden',
    reloadText: 'Prüfe deine Verbindung und lade die Seite dann neu.',
    reload: 'Neu laden',
    confirmWorking: 'Deine Anmeldung wird bestätigt …',
    confirmDone: 'Du bist auf der Liste!',
    confirmDoneText:
      '{email} steht jetzt auf der Liste. Jede Mail von uns enthält einen Link zum Abmelden.',
    badLink: 'Dieser Link funktioniert nicht',
    confirmBadLinkText:
      'Er ist abgelaufen (Links gelten 48 Stunden) oder wurde nicht vollständig kopiert. Melde dich erneut an, um einen neuen zu bekommen.',
    confirmFailed: 'Wir konnten deine Anmeldung nicht bestätigen',
    unsubscribeTitle: 'Abmelden',
    unsubscribeAsk: 'Von der Liste abmelden?',
    unsubscribeAskText: '{email} von der Liste nehmen? Du bekommst dann keine Mails mehr von uns.',
    unsubscribe: 'Abmelden',
    unsubscribing: 'Wird abgemeldet …',
    unsubscribeDone: 'Du bist abgemeldet',
    unsubscribeDoneText:
      '{email} ist nicht mehr auf der Liste. Du hast es dir anders überlegt? Du kannst dich jederzeit wieder anmelden.',
    unsubscribeBadLinkText:
      'Vielleicht wurde er nicht vollständig kopiert: Öffne ihn noch einmal aus der Mail.',
    description: '{name}: Hinterlass deine E-Mail-Adresse.',
    backTo: 'Zurück zu {name}',
    errorTitle: 'Fehler: {title}',
    problemUnreadable: 'Das Formular konnte nicht gelesen werden',
    problemOrigin: 'Dieses Formular kann von dieser Website aus nicht verwendet werden',
    problemTooLarge: 'Das Formular ist zu groß',
    problemWait: 'Bitte warte einen Moment',
    redirectRefusedTitle: 'Dieses Formular darf dich nicht dorthin schicken',
    redirectRefusedText:
      'Die Seite mit diesem Formular wollte dich an eine Adresse weiterleiten, die diese Website nicht erlaubt. Es wurde niemand angemeldet.',
    originRefused:
      'Die Seite mit diesem Formular liegt auf einer Website, die keine Anmeldungen hierher schicken darf. Es wurde niemand angemeldet.',
    networkError:
      'Wir konnten den Server nicht erreichen. Prüfe deine Verbindung und versuche es noch einmal.',
    apiUnreachable: 'Die API ist gerade nicht erreichbar. Bitte versuche es gleich noch einmal.',
    invalidResponse:
      'Der Server hat eine Antwort geschickt, die wir nicht verstehen. Bitte versuche es noch einmal.',
    emailEmpty: 'Bitte gib deine E-Mail-Adresse ein.',
    emailInvalid: 'Bitte gib eine gültige E-Mail-Adresse ein.',
    emailTooLong: `Diese Adresse ist zu lang (höchstens ${MAX_EMAIL_LENGTH} Zeichen).`,
    emailLocalTooLong: `Der Teil vor dem @ ist zu lang (höchstens ${MAX_LOCAL_PART_LENGTH} Zeichen).`,
    'error.invalid_email': 'Bitte gib eine gültige E-Mail-Adresse ein.',
    'error.invalid_json': 'Der Inhalt der Anfrage ist kein gültiges JSON.',
    'error.invalid_request': 'Die Anfrage entspricht nicht dem, was dieser Endpunkt erwartet.',
    'error.unsupported_media_type': 'Sende den Inhalt der Anfrage als application/json.',
    'error.payload_too_large': 'Der Inhalt der Anfrage ist zu groß.',
    'error.not_found': 'Hier gibt es nichts.',
    'error.method_not_allowed': 'Dieser Endpunkt nimmt diese Methode nicht an.',
    'error.forbidden_origin': 'Anfragen von diesem Ursprung sind nicht erlaubt.',
    'error.no_email_in_session': 'Du hast noch keine E-Mail-Adresse eingetragen!',
    'error.not_on_list': 'Diese Adresse steht nicht auf unserer Liste',
    'error.invalid_token': 'Dieser Link ist ungültig oder abgelaufen.',
    'error.too_many_requests':
      'Zu viele Anfragen. Bitte warte einen Moment und versuche es dann noch einmal.',
    'error.too_many_attempts':
      'Zu viele Fehlversuche. Bitte warte und versuche es dann noch einmal.',
    'error.challenge_failed':
      'Bitte warte, bis die Prüfung fertig ist, und versuche es dann noch einmal.',
    'error.invalid_csv': 'Die Datei ist keine lesbare CSV-Datei.',
    'error.suppressed': 'Diese Adresse steht auf der Sperrliste.',
    'error.not_suppressed': 'Diese Adresse steht nicht auf der Sperrliste.',
    'error.import_not_found':
      'Dieser Import wartet nicht mehr. Bitte lade die Datei noch einmal hoch.',
    'error.low_contrast':
      'Auf dieser Farbe ist Text schlecht lesbar: Bitte eine mit mehr Kontrast wählen.',
    'error.announcement_not_found': 'Diese Ankündigung gibt es nicht.',
    'error.announcement_state': 'Das geht mit dieser Ankündigung in ihrem jetzigen Zustand nicht.',
    'error.mail_disabled':
      'Der Mailversand ist auf diesem Server aus (MAIL_URL ist nicht gesetzt).',
    'error.unsupported_image': 'Ein Logo muss ein PNG-, JPEG- oder WebP-Bild sein.',
    'error.svg_image':
      'SVG wird als Logo nicht angenommen: Eine SVG-Datei kann Skripte enthalten. Bitte als PNG oder WebP speichern.',
    'error.admin_disabled': 'Der Admin-Bereich ist auf diesem Server ausgeschaltet.',
    'error.invalid_password': 'Das Passwort stimmt nicht.',
    'error.unauthorized': 'Bitte melde dich als Admin an.',
    'error.service_unavailable':
      'Der Dienst ist vorübergehend nicht verfügbar. Bitte versuche es gleich noch einmal.',
    'error.internal_error': 'Bei uns ist etwas schiefgelaufen. Bitte versuche es noch einmal.',
  },
  demo: {
    formLede: 'Hinterlass deine Adresse, und wir schreiben dir ab und zu – mit Katzen.',
    notFoundText:
      'Unter {path} gibt es keine Seite. Vielleicht ist eine Katze über die Tastatur gelaufen.',
  },
};
