import { MAX_EMAIL_LENGTH, MAX_LOCAL_PART_LENGTH } from '../email.js';
import type { LanguageFile } from './catalog.js';

/** French. */
export const fr: LanguageFile = {
  texts: {
    loading: 'Chargement…',
    tryAgain: 'Réessayer',
    somethingWrong: 'Un problème est survenu. Veuillez réessayer.',
    privacyLink: 'Politique de confidentialité',
    language: 'Langue',
    goHome: 'Aller à la page d’inscription',
    signUpAgain: 'Se réinscrire',
    formHeading: 'Inscrivez-vous',
    formLede: 'Laissez votre adresse et nous vous écrirons de temps en temps.',
    emailLabel: 'E-mail',
    emailPlaceholder: 'vous@example.com',
    submit: 'S’inscrire',
    submitting: 'Inscription…',
    honeypotLabel: 'Site web (laissez ce champ vide)',
    challengeNeedsScript:
      'L’inscription ici demande JavaScript : le formulaire fait résoudre à votre navigateur une petite énigme qui tient les robots à l’écart. Activez JavaScript, puis rechargez cette page.',
    rateLimited: 'Trop d’inscriptions depuis votre réseau. Veuillez réessayer dans {wait}.',
    challengeRefused: 'La vérification anti-spam n’a pas abouti. Veuillez réessayer.',
    waitSecondOne: '{n} seconde',
    waitSecondOther: '{n} secondes',
    waitMinuteOne: '{n} minute',
    waitMinuteOther: '{n} minutes',
    waitHourOne: '{n} heure',
    waitHourOther: '{n} heures',
    thanksTitle: 'Merci pour votre inscription',
    thanksHeading: 'Merci pour votre inscription, {email} !',
    thanksText:
      'Nous vous tiendrons au courant. Vous avez changé d’avis ? Vous pouvez retirer votre adresse de la liste à tout moment.',
    thanksTextForm:
      'Nous vous tiendrons au courant. Vous avez changé d’avis ? Vous pouvez retirer votre adresse de la liste à tout moment sur notre page d’inscription.',
    pendingHeading: 'Consultez votre boîte de réception',
    pendingText:
      'Nous avons envoyé un lien à {email} : votre adresse rejoindra la liste dès que vous l’ouvrirez.',
    unregister: 'Me désinscrire',
    cancelSignup: 'Annuler mon inscription',
    unregistering: 'Désinscription…',
    removedPending:
      'Nous n’ajouterons pas {email} à la liste : le lien de l’e-mail envoyé ne fonctionne plus.',
    removed: 'Nous avons retiré {email} de la liste !',
    countZero: 'Personne ne s’est encore inscrit. Soyez le premier !',
    countOne: '{count} personne s’est inscrite.',
    countOther: '{count} personnes se sont inscrites.',
    notFoundTitle: 'Page introuvable',
    notFoundText: 'Il n’y a pas de page à l’adresse {path}.',
    reloadTitle: 'Cette page n’a pas pu être chargée',
    reloadText: 'Vérifiez votre connexion, puis rechargez la page.',
    reload: 'Recharger',
    confirmWorking: 'Confirmation de votre inscription…',
    confirmDone: 'Vous êtes sur la liste !',
    confirmDoneText:
      '{email} est maintenant sur la liste. Chaque e-mail que nous envoyons contient un lien pour la quitter.',
    badLink: 'Ce lien ne fonctionne pas',
    confirmBadLinkText:
      'Il a expiré (les liens sont valables 48 heures) ou n’a pas été copié en entier. Inscrivez-vous à nouveau pour en recevoir un nouveau.',
    confirmFailed: 'Nous n’avons pas pu confirmer votre inscription',
    unsubscribeTitle: 'Se désabonner',
    unsubscribeAsk: 'Quitter la liste ?',
    unsubscribeAskText:
      'Retirer {email} de la liste ? Vous ne recevrez plus aucun e-mail de notre part.',
    unsubscribe: 'Me désabonner',
    unsubscribing: 'Désabonnement…',
    unsubscribeDone: 'Vous êtes désabonné',
    unsubscribeDoneText:
      '{email} ne fait plus partie de la liste. Vous avez changé d’avis ? Vous pouvez vous réinscrire à tout moment.',
    unsubscribeBadLinkText:
      'Il n’a peut-être pas été copié en entier : ouvrez-le à nouveau depuis l’e-mail.',
    description: '{name} : laissez votre adresse e-mail.',
    backTo: 'Retour à {name}',
    errorTitle: 'Erreur : {title}',
    problemUnreadable: 'Le formulaire n’a pas pu être lu',
    problemOrigin: 'Ce formulaire ne peut pas être utilisé depuis ce site',
    problemTooLarge: 'Le formulaire est trop volumineux',
    problemWait: 'Veuillez patienter un instant',
    redirectRefusedTitle: 'Ce formulaire ne peut pas vous envoyer là',
    redirectRefusedText:
      'La page qui contenait ce formulaire voulait vous rediriger vers une adresse que ce site n’autorise pas. Aucune inscription n’a été faite.',
    originRefused:
      'La page qui contenait ce formulaire se trouve sur un site qui ne peut pas envoyer d’inscriptions ici. Aucune inscription n’a été faite.',
    networkError: 'Nous n’avons pas pu joindre le serveur. Vérifiez votre connexion et réessayez.',
    apiUnreachable: 'L’API est injoignable pour le moment. Veuillez réessayer dans un instant.',
    invalidResponse: 'Le serveur a envoyé une réponse incompréhensible. Veuillez réessayer.',
    emailEmpty: 'Veuillez saisir votre adresse e-mail.',
    emailInvalid: 'Veuillez saisir une adresse e-mail valide.',
    emailTooLong: `Cette adresse est trop longue (${MAX_EMAIL_LENGTH} caractères au plus).`,
    emailLocalTooLong: `La partie avant le @ est trop longue (${MAX_LOCAL_PART_LENGTH} caractères au plus).`,
    'error.invalid_email': 'Veuillez saisir une adresse e-mail valide.',
    'error.invalid_json': 'Le corps de la requête n’est pas du JSON valide.',
    'error.invalid_request': 'La requête ne correspond pas à ce qu’attend ce point d’accès.',
    'error.unsupported_media_type': 'Envoyez le corps de la requête en application/json.',
    'error.payload_too_large': 'Le corps de la requête est trop volumineux.',
    'error.not_found': 'Il n’y a rien ici.',
    'error.method_not_allowed': 'Ce point d’accès n’accepte pas cette méthode.',
    'error.forbidden_origin': 'Les requêtes de cette origine ne sont pas autorisées.',
    'error.no_email_in_session': 'Vous n’avez pas encore saisi d’adresse e-mail !',
    'error.not_on_list': 'Cette adresse n’est pas sur notre liste',
    'error.invalid_token': 'Ce lien n’est pas valide ou a expiré.',
    'error.too_many_requests': 'Trop de requêtes. Veuillez patienter un instant et réessayer.',
    'error.too_many_attempts': 'Trop de tentatives échouées. Veuillez patienter et réessayer.',
    'error.challenge_failed': 'Veuillez attendre la fin de la vérification, puis réessayer.',
    'error.invalid_csv': 'Le fichier n’est pas un CSV lisible.',
    'error.suppressed': 'Cette adresse est sur la liste de suppression.',
    'error.not_suppressed': 'Cette adresse n’est pas sur la liste de suppression.',
    'error.import_not_found':
      'Cette importation n’est plus en attente. Veuillez renvoyer le fichier.',
    'error.low_contrast':
      'Cette couleur ne laisse pas lire le texte : choisissez-en une plus contrastée.',
    'error.announcement_not_found': 'Cette annonce n’existe pas.',
    'error.announcement_state': 'Cette annonce ne le permet pas dans son état actuel.',
    'error.mail_disabled':
      'L’envoi de courriels est désactivé sur ce serveur (MAIL_URL n’est pas défini).',
    'error.unsupported_image': 'Un logo doit être une image PNG, JPEG ou WebP.',
    'error.svg_image':
      'Le SVG n’est pas accepté pour un logo : un fichier SVG peut contenir des scripts. Enregistrez-le en PNG ou en WebP.',
    'error.admin_disabled': 'L’espace d’administration est désactivé sur ce serveur.',
    'error.invalid_password': 'Ce mot de passe n’est pas le bon.',
    'error.unauthorized': 'Veuillez vous connecter en tant qu’administrateur.',
    'error.service_unavailable':
      'Le service est temporairement indisponible. Veuillez réessayer dans un instant.',
    'error.internal_error': 'Un problème est survenu de notre côté. Veuillez réessayer.',
  },
  demo: {
    formLede: 'Laissez votre adresse et nous vous écrirons de temps en temps, avec des chats.',
    notFoundText:
      'Il n’y a pas de page à l’adresse {path}. Un chat a peut-être marché sur le clavier.',
  },
};
