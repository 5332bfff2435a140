import {
  ERROR_MESSAGES,
  type ErrorCode,
  type TextKey,
  type ValidationIssue,
} from '@catlist/contracts';

/** The one error a handler throws; the error middleware turns it into the contract's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  readonly issues: ValidationIssue[] | undefined;
  /**
   * The text (texts/en.ts) that says `message` in the visitor's language: the code's own unless
   * a message of its own was given without one (then that message, in English, is sent as is).
   */
  readonly text: TextKey | undefined;

  constructor(
    status: number,
    code: ErrorCode,
    options: {
      message?: string;
      headers?: Record<string, string>;
      issues?: ValidationIssue[];
      text?: TextKey;
    } = {},
  ) {
    super(options.message ?? ERROR_MESSAGES[code]);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.issues = options.issues;
    this.text = options.text ?? (options.message === undefined ? `error.${code}` : undefined);
  }
}
