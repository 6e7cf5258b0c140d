/** a real pino logger whose lines (level and message, and the raw JSON) the test can read */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg: string;
  raw: string;
}

export function logLines(): { log: Logger; lines: LogLine[]; said: (part: string) => number } {
  const lines: LogLine[] = [];
  const log = pino(
    { level: 'debug' },
    new Writable({
      write: (chunk: Buffer, _enc, done) => {
        const raw = chunk.toString();
        const { level, msg } = JSON.parse(raw) as { level: number; msg: string };
        lines.push({ level, msg, raw });
        done();
      },
    }),
  );
  return { log, lines, said: (part) => lines.filter((l) => l.msg.includes(part)).length };
}

/** polls `check` every 20 ms until it is true; fails with `what` after `ms` */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
