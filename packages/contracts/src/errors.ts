import * as z from 'zod/mini';

/** Every error code the API can answer with, and the message shown for it. */
export const ERROR_MESSAGES = {
  invalid_email: 'Please enter a valid email address.',
  invalid_json: 'The request body is not valid JSON.',
  invalid_request: 'The request does not match what this endpoint expects.',
  unsupported_media_type: 'Send the request body as application/json.',
  payload_too_large: 'The request body is too large.',
  not_found: 'There is nothing here.',
  method_not_allowed: 'This endpoint does not accept that method.',
  forbidden_origin: 'Requests from this origin are not allowed.',
  no_email_in_session: "You haven't submitted an email!",
  not_on_list: "That address isn't on our list",
  invalid_token: 'This link is not valid, or it has expired.',
  too_many_requests: 'Too many requests. Please wait a moment and try again.',
  too_many_attempts: 'Too many failed attempts. Please wait and try again.',
  challenge_failed: 'Please wait for the check to finish, then try again.',
  invalid_csv: 'The file is not a CSV that can be read.',
  suppressed: 'That address is on the suppression list.',
  not_suppressed: "That address isn't suppressed.",
  import_not_found: 'That import is not waiting any more. Please upload the file again.',
  admin_disabled: 'The admin area is disabled on this server.',
  invalid_password: 'That password is not right.',
  unauthorized: 'Please log in as admin.',
  service_unavailable: 'The service is temporarily unavailable. Please try again shortly.',
  internal_error: 'Something went wrong on our side. Please try again.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export const errorCodes = Object.keys(ERROR_MESSAGES) as [ErrorCode, ...ErrorCode[]];

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
