export * from './email.js';
export * from './endpoints.js';
export * from './error-messages.js';
export * from './errors.js';
export * from './pages.js';
export * from './site.js';
export * from './texts/catalog.js';
export * from './texts/languages.js';
