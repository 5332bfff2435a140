import * as z from 'zod/mini';

/** Every error code the API can answer with; each has its message in every language file. */
export const errorCodes = [
  'invalid_email',
  'invalid_json',
  'invalid_request',
  'unsupported_media_type',
  'payload_too_large',
  'not_found',
  'method_not_allowed',
  'forbidden_origin',
  'no_email_in_session',
  'not_on_list',
  'invalid_token',
  'too_many_requests',
  'too_many_attempts',
  'challenge_failed',
  'invalid_csv',
  'suppressed',
  'not_suppressed',
  'import_not_found',
  'low_contrast',
  'announcement_not_found',
  'announcement_state',
  'mail_disabled',
  'unsupported_image',
  'svg_image',
  'admin_disabled',
  'invalid_password',
  'unauthorized',
  'service_unavailable',
  'internal_error',
] as const satisfies readonly [string, ...string[]];

export type ErrorCode = (typeof errorCodes)[number];

/** One schema problem, as reported under `error.issues` for `invalid_request`. */
export const ValidationIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

/** The body of every error response. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.optional(z.array(ValidationIssue)),
  }),
});

/**
 * The error body of one endpoint's status, with the codes it can carry there: what the OpenAPI
 * document lists per response. Clients parse errors with `ErrorBody`, which takes any code, so
 * codes added later do not break them.
 */
export const errorBody = (...codes: [ErrorCode, ...ErrorCode[]]) =>
  z.object({
    error: z.object({
      code: z.enum(codes),
      message: z.string(),
      issues: z.optional(z.array(ValidationIssue)),
    }),
  });

/** What any endpoint answers when something fails unexpectedly; details go to the log only. */
export const InternalError = errorBody('internal_error');

export type ErrorBody = z.infer<typeof ErrorBody>;
export type ValidationIssue = z.infer<typeof ValidationIssue>;
