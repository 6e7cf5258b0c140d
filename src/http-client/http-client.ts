/**
 * The one outgoing HTTP layer of the pollers: JSON answers over a shared undici Agent (requests in JSON or,
 * for OAuth token endpoints, a form), with bounded retries on 429 and 5xx that honour what the server asks
 * for (retry-delay.ts), a size limit on every body, and errors that say which call failed and why
 * (http-error.ts). Request bodies are never part of an error or a log line.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { Logger } from 'pino';
import { request, type Dispatcher } from 'undici';
import { HttpError, describeCall, errorDetails, errorSummary } from './http-error.ts';
import { BodyTooLargeError, readLimited, readPrefix } from './read-limited.ts';
import { retryDelay } from './retry-delay.ts';

export interface HttpCall {
  /** what the call is, for errors and logs: "ASA service token", "Okta System Log page" */
  label: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** sent as JSON */
  json?: unknown;
  /**
   * sent as `application/x-www-form-urlencoded` (an OAuth token request). A function is called again for
   * every attempt, so a retry can carry fresh values: a client assertion's `jti` may be used only once.
   */
  form?: Record<string, string> | (() => Record<string, string>);
}

export interface JsonResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** the URL that answered, to resolve relative Link headers against */
  url: string;
}

export interface HttpClientOptions {
  dispatcher: Dispatcher;
  /** tries per call, the first included (default 4) */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** the longest single wait; a server asking for more fails the call instead (default 60 s) */
  maxDelayMs?: number;
  /** default 32 MiB: a full auditsV2 page of 1000 events with its related objects is a few MiB */
  maxBodyBytes?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  log?: Logger;
}

/** statuses worth another try: rate limited, or the server failed (not 501/505, which will not change) */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

const RETRYABLE_NETWORK = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

const ERROR_BODY_BYTES = 16 * 1024;

export class HttpClient {
  private readonly maxAttempts: number;
  private readonly maxBodyBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly o: HttpClientOptions) {
    this.maxAttempts = Math.max(1, o.maxAttempts ?? 4);
    this.maxBodyBytes = o.maxBodyBytes ?? 32 * 1024 * 1024;
    this.sleep = o.sleep ?? ((ms) => sleepMs(ms).then(() => undefined));
    this.now = o.now ?? Date.now;
  }

  /** one JSON call, retried as the rules above say; resolves with a 2xx answer or throws HttpError */
  async json(call: HttpCall): Promise<JsonResponse> {
    const what = describeCall(call.method, call.url);
    for (let attempt = 1; ; attempt++) {
      const after = attempt > 1 ? ` (after ${attempt} attempts)` : '';
      let res: Dispatcher.ResponseData;
      try {
        const { contentType, body } = requestBody(call);
        res = await request(call.url, {
          dispatcher: this.o.dispatcher,
          method: call.method,
          headers: { accept: 'application/json', 'user-agent': 'oig-chatops', ...(contentType ? { 'content-type': contentType } : {}), ...call.headers },
          body,
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (attempt < this.maxAttempts && RETRYABLE_NETWORK.has(code)) {
          await this.wait(call, attempt, undefined, undefined, code);
          continue;
        }
        const why = code || (err instanceof Error ? err.message : String(err));
        throw new HttpError('HTTP_UNREACHABLE', `${call.label} failed: ${what} could not be reached (${why})${after}`);
      }
      const status = res.statusCode;
      if (status >= 200 && status < 300) return { status, headers: res.headers, body: await this.readJson(call, what, res), url: call.url };

      const details = errorDetails(await readPrefix(res.body, ERROR_BODY_BYTES).catch(() => ''));
      const summary = details && errorSummary(details);
      const answered = `${what} answered ${status}${res.statusText ? ` ${res.statusText}` : ''}${summary ? ` (${summary})` : ''}`;
      if (isRetryableStatus(status) && attempt < this.maxAttempts) {
        const delay = await this.wait(call, attempt, status, res.headers);
        if (delay === 'too-long') {
          throw new HttpError('HTTP_RATE_LIMITED', `${call.label} failed: ${answered} and asked to wait longer than ${Math.round((this.o.maxDelayMs ?? 60_000) / 1000)} s; the next run tries again`, status);
        }
        continue;
      }
      throw new HttpError('HTTP_STATUS', `${call.label} failed: ${answered}${after}`, status, details);
    }
  }

  private async readJson(call: HttpCall, what: string, res: Dispatcher.ResponseData): Promise<unknown> {
    const declared = Number(res.headers['content-length'] ?? NaN);
    let text: string;
    try {
      if (declared > this.maxBodyBytes) throw new BodyTooLargeError(this.maxBodyBytes);
      text = await readLimited(res.body, this.maxBodyBytes);
    } catch (err) {
      res.body.destroy();
      if (err instanceof BodyTooLargeError) {
        throw new HttpError('HTTP_BODY_TOO_LARGE', `${call.label} failed: ${what} answered ${res.statusCode} with a body larger than ${this.maxBodyBytes} bytes`, res.statusCode);
      }
      const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new HttpError('HTTP_UNREACHABLE', `${call.label} failed: ${what} broke off while sending the body (${code})`, res.statusCode);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      // not V8's message: it quotes the body, and a broken token answer must not end up in a log
      const at = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
      const where = `${Buffer.byteLength(text)} bytes${at !== undefined ? `, invalid at position ${at}` : ''}`;
      throw new HttpError('HTTP_BAD_BODY', `${call.label} failed: ${what} answered ${res.statusCode} with a body that is not JSON (${where})`, res.statusCode);
    }
  }

  /** sleeps before the next attempt; 'too-long' when the server asks for more than maxDelayMs */
  private async wait(call: HttpCall, attempt: number, status?: number, headers?: IncomingHttpHeaders, network?: string): Promise<'ok' | 'too-long'> {
    const policy = { baseDelayMs: this.o.baseDelayMs ?? 500, maxDelayMs: this.o.maxDelayMs ?? 60_000 };
    const d = retryDelay(status, headers, attempt, policy, this.now(), this.o.random);
    if (d.tooLong) return 'too-long';
    this.o.log?.warn({ call: call.label, status, network, attempt, waitMs: d.ms, by: d.reason }, 'outgoing call failed; retrying');
    await this.sleep(d.ms);
    return 'ok';
  }
}

function requestBody(call: HttpCall): { contentType?: string; body: string | null } {
  if (call.form !== undefined) {
    const fields = typeof call.form === 'function' ? call.form() : call.form;
    return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() };
  }
  if (call.json !== undefined) return { contentType: 'application/json', body: JSON.stringify(call.json) };
  return { body: null };
}
