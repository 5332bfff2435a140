import { ERROR_MESSAGES, type ErrorCode, type ValidationIssue } from '@catlist/contracts';

/** The one error a handler throws; the error middleware turns it into the contract's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  readonly issues: ValidationIssue[] | undefined;

  constructor(
    status: number,
    code: ErrorCode,
    options: {
      message?: string;
      headers?: Record<string, string>;
      issues?: ValidationIssue[];
    } = {},
  ) {
    super(options.message ?? ERROR_MESSAGES[code]);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.issues = options.issues;
  }
}
