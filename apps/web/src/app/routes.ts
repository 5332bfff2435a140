import type { ComponentType } from 'react';
import { SignupPage } from '../features/signup/signup-page';

/** Every page of the app by path; anything else is the not-found page. */
export const routes: Readonly<Record<string, ComponentType>> = {
  '/': SignupPage,
  // '/admin' joins here with issue 3, lazily loaded so visitors never download it.
};
