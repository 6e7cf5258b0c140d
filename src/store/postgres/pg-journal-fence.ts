/**
 * What a failed write to a state journal means (pg-state-journal.ts): another writer took the journal (the
 * fence), or the write surely stored nothing, or nobody knows (the connection broke: it may have committed).
 */
import { AppError } from '../../errors.ts';

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
