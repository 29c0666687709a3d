/** A non-2xx answer from the API: its status and the error's code, message and details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

/**
 * Builds the ApiError from a response. The API answers `{ error: { code, message, details,
 * requestId } }` (src/http/error-handler.ts); a body that is not its JSON still gets a message.
 */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    const parsed: unknown = await response.clone().json();
    if (parsed !== null && typeof parsed === 'object' && 'error' in parsed) {
      const { error } = parsed;
      if (error !== null && typeof error === 'object') body = error as ErrorBody;
    }
  } catch {
    // Not JSON (a proxy's error page, say): the status text has to do.
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  const message =
    typeof body.message === 'string'
      ? body.message
      : `The server answered ${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, code, message, body.details);
}

/** The text to show a user for any error a query or mutation threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The server could not be reached. Check the connection.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
