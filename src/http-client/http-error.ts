/**
 * Errors of outgoing calls. The message names the call ("ASA auditsV2 page"), the method and the URL
 * without its query string, and what went wrong, so one log line tells an operator what to fix.
 * Request headers (tokens) are never part of it; from an error body only the server's own summary fields
 * are quoted, shortened.
 */
import { AppError } from '../errors.ts';

export type HttpErrorCode =
  /** connect refused, DNS, reset, a timeout: no HTTP answer */
  | 'HTTP_UNREACHABLE'
  /** a non-2xx answer (after the retries, if it was retryable) */
  | 'HTTP_STATUS'
  /** the server asked us to wait longer than we are willing to within one run */
  | 'HTTP_RATE_LIMITED'
  /** a 2xx whose body is not the JSON we need */
  | 'HTTP_BAD_BODY'
  /** the body is larger than the limit for this call */
  | 'HTTP_BODY_TOO_LARGE';

export class HttpError extends AppError {
  constructor(
    code: HttpErrorCode,
    message: string,
    /** the remote status, when there was an answer */
    readonly statusCode?: number,
  ) {
    super(code, message, 502);
    this.name = 'HttpError';
  }
}

/** `GET https://host/path` — no query string: it can be long (Okta filters) and says nothing an operator needs */
export function describeCall(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
  } catch {
    return `${method} (invalid URL)`;
  }
}

/**
 * The server's own explanation from an error body, if it has one: Okta `errorSummary` (and errorCode),
 * ASA `message` / `error`. Anything else is not quoted: an unknown body could echo what we sent.
 */
export function errorSummary(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const parts = [b.errorCode, b.errorSummary, b.error, b.message, b.error_description].filter(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  if (parts.length === 0) return undefined;
  const summary = [...new Set(parts)].join(': ');
  return summary.length > 200 ? `${summary.slice(0, 199)}…` : summary;
}
