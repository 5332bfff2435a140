import type { Page } from 'playwright-core';

/** The signup page as a visitor sees it, by role and label. */
export function signupPage(page: Page) {
  return {
    email: page.getByLabel('Email', { exact: true }),
    signUp: page.getByRole('button', { name: 'Sign up', exact: true }),
    unregister: page.getByRole('button', { name: 'Unregister', exact: true }),
    thanks: (email: string) =>
      page.getByRole('heading', { name: `Thanks for signing up, ${email}!`, exact: true }),
    notice: page.getByRole('status'),
    count: page.getByTestId('subscriber-count'),
    /** Resolves once the session has loaded and one of the two views is on screen. */
    async ready(): Promise<void> {
      await page
        .locator('form.signup-form button[type="submit"]:enabled, section.thanks button:enabled')
        .first()
        .waitFor();
    },
  };
}

/** Stats as the public sees them. */
export async function subscriberCount(api: { getJson(path: string): Promise<unknown> }) {
  return ((await api.getJson('/api/stats')) as { subscribers: number }).subscribers;
}
