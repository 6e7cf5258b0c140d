/**
 * An error with a stable code and, where it applies, the HTTP status it maps to. Core code throws these;
 * only transports turn them into responses (STYLE practice 6).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
