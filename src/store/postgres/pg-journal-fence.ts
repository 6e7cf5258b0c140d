/**
 * What a failed write to the state in PostgreSQL means (pg-state-journal.ts, pg-state-doc.ts): another
 * writer took the journal (the fence), or the write surely stored nothing, or nobody knows (the connection
 * broke: it may have committed); and the error its caller gets.
 */
import { AppError } from '../../errors.ts';
import { loggableError } from './connection-error.ts';

export class JournalFencedError extends AppError {
  constructor(name: string) {
    super('STATE_JOURNAL_FENCED', `another replica wrote journal ${name}; this process no longer writes it (it must catch up first, as a new leader does)`);
  }
}

/** the server answered the statement with an error: it was rolled back. Anything else (a broken connection) may have committed. */
export function knownFailed(err: unknown): boolean {
  if (err instanceof JournalFencedError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08');
}

/**
 * A database error as the state's users get it: what failed, the server's message and SQLSTATE, and
 * nothing else. Callers log what they are given, and a pg error object can reach the connection
 * parameters (connection-error.ts, loggableError).
 */
export function stateDatabaseError(err: unknown, what: string): Error {
  if (err instanceof AppError) return err;
  const { code, message } = loggableError(err);
  return Object.assign(new AppError('STATE_DATABASE', `${what} failed in PostgreSQL: ${message}${code ? ` (${code})` : ''}`), code ? { sqlState: code } : {});
}
