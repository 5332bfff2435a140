// The entry of the lazily loaded chunk behind the links in mails: both pages in one fetch, and in
// one gzip stream, which compresses their shared parts once (the bundle budget, issue 7).
export { ConfirmPage } from './confirm-page';
export { UnsubscribePage } from './unsubscribe-page';
