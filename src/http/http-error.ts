/**
 * An error with a stable code and the HTTP status it maps to. Core code throws these; only the HTTP
 * transport turns them into responses (STYLE practice 6).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
