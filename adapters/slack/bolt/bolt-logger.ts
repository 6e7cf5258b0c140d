/**
 * Bolt and the Web API client log through @slack/logger's interface; this sends those lines to the bot's
 * pino logger (JSON on stderr, secrets redacted) instead of Bolt's console logger. Bolt's info chatter is
 * demoted to debug: the adapter logs what an operator needs itself.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

function line(parts: unknown[]): string {
  return parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
}

export function boltLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug(line(msg)),
    info: (...msg: unknown[]) => log.debug(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    // pino's own level decides what is written; these only satisfy the interface
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
