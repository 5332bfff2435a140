import type { PagePath } from '@catlist/contracts';
import { type ComponentType, lazy } from 'react';
import { SignupPage } from '../features/signup/signup-page';

// Its own chunk, fetched on the first visit to /admin: visitors to the signup page never load it.
const AdminPage = lazy(() =>
  import('../features/admin/admin-page').then((module) => ({ default: module.AdminPage })),
);

// The pages behind the links in mails, one chunk for both, fetched only when a link is opened.
const mailLinkPages = () => import('../features/mail-links/mail-link-pages');
const ConfirmPage = lazy(() => mailLinkPages().then((module) => ({ default: module.ConfirmPage })));
const UnsubscribePage = lazy(() =>
  mailLinkPages().then((module) => ({ default: module.UnsubscribePage })),
);

/**
 * The component for every page of the app. The paths are the contracts' PAGES, which the server
 * also knows (it answers any other path with status 404): a page added there must be added here.
 */
export const routes: Readonly<Record<PagePath, ComponentType>> = {
  '/': SignupPage,
  '/admin': AdminPage,
  '/confirm': ConfirmPage,
  '/unsubscribe': UnsubscribePage,
};
