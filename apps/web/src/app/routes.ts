import { type ComponentType, lazy } from 'react';
import { SignupPage } from '../features/signup/signup-page';

// Its own chunk, fetched on the first visit to /admin: visitors to the signup page never load it.
const AdminPage = lazy(() =>
  import('../features/admin/admin-page').then((module) => ({ default: module.AdminPage })),
);

/** Every page of the app by path; anything else is the not-found page. */
export const routes: Readonly<Record<string, ComponentType>> = {
  '/': SignupPage,
  '/admin': AdminPage,
};
