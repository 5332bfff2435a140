/**
 * The name mails sign with. One place, so that a configurable site name (SITE_NAME) can take over
 * here without touching the mails themselves.
 */
export const DEFAULT_SITE_NAME = 'Cats Everywhere';
