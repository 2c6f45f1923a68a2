/**
 * Error bodies of the Referrals API (api.partner.microsoft.com). The shape follows the one
 * Microsoft returns for a stale ETag (microsoft/Partner-Center-Referrals#4):
 * `{"error":{"code","message","target","innerError":{code,message,details}}}`; field-level
 * problems are listed in `details` as Microsoft's REST guidelines describe.
 */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    target: string | null;
    details?: Array<{ code: string; message: string; target: string }>;
    innerError: { code: string; message: string; details: null } | null;
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error.message);
  }
}

export interface FieldIssue {
  target: string;
  message: string;
}

export function badRequest(issues: FieldIssue[]): ApiError {
  const first = issues[0] ?? { target: '', message: 'The request is invalid.' };
  return new ApiError(400, {
    error: {
      code: 'badRequest',
      message: first.message,
      target: first.target || null,
      details: issues.map((i) => ({ code: 'invalidValue', message: i.message, target: i.target })),
      innerError: null,
    },
  });
}

export function notFound(id: string): ApiError {
  return new ApiError(404, {
    error: {
      code: 'notFound',
      message: `Referral with id '${id}' was not found.`,
      target: 'id',
      innerError: null,
    },
  });
}

/** Byte-for-byte the body quoted in microsoft/Partner-Center-Referrals#4. */
export function preconditionFailed(): ApiError {
  return new ApiError(412, {
    error: {
      code: 'preconditionFailed',
      message:
        "A precondition provided in the request (such as an if-match header) does not match the resource's current state.",
      target: 'ETag',
      innerError: {
        code: '99918',
        message: 'One of the specified pre-condition is not met. Etag value did not Match',
        details: null,
      },
    },
  });
}

export function unauthorized(message: string): ApiError {
  return new ApiError(401, {
    error: { code: 'unauthorized', message, target: null, innerError: null },
  });
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, {
    error: { code: 'forbidden', message, target: null, innerError: null },
  });
}

export function simpleError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, { error: { code, message, target: null, innerError: null } });
}
