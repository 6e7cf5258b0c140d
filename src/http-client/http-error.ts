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
    /** the server's own error fields from the body (see errorDetails), for callers that act on them */
    readonly details?: ErrorDetails,
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
 * The summary fields of an error body, as the server sent them (strings only): Okta's `errorCode` and
 * `errorSummary`, OAuth's `error` and `error_description` (RFC 6749 §5.2), ASA's `message` / `error`.
 * Nothing else of the body is kept: an unknown body could echo what we sent.
 */
export type ErrorDetails = Readonly<Partial<Record<(typeof DETAIL_FIELDS)[number], string>>>;

const DETAIL_FIELDS = ['errorCode', 'errorSummary', 'error', 'message', 'error_description'] as const;

/** the summary fields of an error body, or undefined when it is not JSON or has none */
export function errorDetails(text: string): ErrorDetails | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const out: Partial<Record<(typeof DETAIL_FIELDS)[number], string>> = {};
  for (const f of DETAIL_FIELDS) {
    const v = b[f];
    // one line, and short: this ends up in log lines and chat answers
    if (typeof v === 'string' && v.trim() !== '') out[f] = shorten(v.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(), 300);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** the server's own explanation, for an error message: "E0000011: Invalid token provided" */
export function errorSummary(details: ErrorDetails): string | undefined {
  const parts = DETAIL_FIELDS.map((f) => details[f]).filter((v): v is string => v !== undefined);
  if (parts.length === 0) return undefined;
  return shorten([...new Set(parts)].join(': '), 200);
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
