import type { Page } from 'playwright-core';

/** The admin page as the admin sees it, by role and label. */
export function adminPage(page: Page) {
  return {
    password: page.getByLabel('Password', { exact: true }),
    logIn: page.getByRole('button', { name: 'Log in', exact: true }),
    /** The page-level message: "You have logged out.", "Your admin session ended. …". */
    pageNotice: page.locator('main > .notice'),
    loginError: page.locator('.login-form .field-error'),
    heading: page.getByRole('heading', { name: 'Subscribers', exact: true }),
    total: page.locator('.list-total'),
    search: page.getByRole('searchbox', { name: 'Search', exact: true }),
    searchStatus: page.locator('.search-status'),
    /** The list's own message after a delete. */
    listNotice: page.locator('.subscriber-list .notice'),
    showing: page.locator('.list-showing'),
    /** The addresses of the rows, in order (without the source tag beside some). */
    emails: () =>
      page
        .locator('.subscriber-table tbody tr')
        .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.email ?? '')),
    /** The tag beside an address that did not come from the signup form ("imported"). */
    sourceTag: (email: string) =>
      page.locator(`.subscriber-table tbody tr[data-email="${email}"] .source-tag`),
    loadMore: page.getByRole('button', { name: 'Load more', exact: true }),
    deleteButton: (email: string) =>
      page.getByRole('button', { name: `Delete ${email}`, exact: true }),
    dialog: page.getByRole('alertdialog'),
    downloadCsv: page.getByRole('link', { name: 'Download CSV', exact: true }),
    logOut: page.getByRole('button', { name: 'Log out', exact: true }),
    /** Resolves once the list has its first page on screen. */
    async listReady(): Promise<void> {
      await page.locator('.subscriber-table tbody tr, .empty-state').first().waitFor();
    },
  };
}

/**
 * Signs `emails` up through the public API, each from its own client address, so the signup rate
 * limit (30 a minute per IP) does not apply. Needs a server started with `trustProxy`.
 */
export async function seedSubscribers(origin: string, emails: readonly string[]): Promise<void> {
  for (const [i, email] of emails.entries()) {
    const response = await fetch(`${origin}/api/signup`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Forwarded-For': `198.51.100.${(i % 250) + 1}`,
      },
      body: JSON.stringify({ email }),
    });
    if (!response.ok) throw new Error(`seeding ${email}: ${response.status}`);
  }
}
