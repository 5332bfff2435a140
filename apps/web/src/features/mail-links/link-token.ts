/** The `token` of the current page's query (the links in mails carry one); null without one. */
export function linkToken(search = window.location.search): string | null {
  const token = new URLSearchParams(search).get('token');
  return token === null || token === '' ? null : token;
}
