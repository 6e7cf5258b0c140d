/**
 * Who answers `npm run oig`, in this order (issue 14 §1):
 *
 *  1. DATABASE_URL set: the database, read by the CLI itself (replicas keep nothing in DATA_DIR to ask).
 *  2. The bot running on DATA_DIR, through DATA_DIR/oig.sock: its store is in its memory.
 *  3. DATA_DIR not set and no bot in ./data: a running `npm run demo` of this user (find-demo.ts).
 *  4. No bot: the store in DATA_DIR, opened by the CLI under the DATA_DIR lock (offline-deps.ts).
 *
 * Every path ends in the same `replyTo` (answer-reply.ts): the same engine, the same answer.
 */
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { DataDirBusyError, holderText } from '../../store/data-dir-lock.ts';
import { replyTo, type OigReply, type OigRequest } from './answer-reply.ts';
import { AskFailedError, askBot, NoBotError } from './ask-bot.ts';
import { demoSockets } from './find-demo.ts';
import { socketPath, socketUnusable } from './socket-server.ts';

export interface Answered {
  reply: OigReply;
  /** where the answer came from, when it is worth saying (not the bot the user meant) */
  note?: string;
}

type AskConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'retentionDays' | 'asaUserMap'>;

export interface AskOptions {
  /** DATA_DIR was set (environment or .env): never look for a demo instead */
  dataDirGiven: boolean;
  log: Logger;
  /** where demos keep their data (tests point it at their own folder) */
  demoDir?: string;
}

export async function ask(config: AskConfig, req: OigRequest, o: AskOptions): Promise<Answered> {
  if (config.databaseUrl !== undefined) return offline(config, req, o.log);
  const file = socketPath(config.dataDir);
  const unusable = socketUnusable(file);
  if (!unusable) {
    const reply = await askBot(file, req).catch(noBot);
    if (reply) return { reply };
  }
  if (!o.dataDirGiven) {
    for (const demo of demoSockets(o.demoDir)) {
      const reply = await askBot(demo, req).catch(noBot);
      if (reply) return { reply, note: `asked the demo that keeps its data in ${demo.slice(0, -'/oig.sock'.length)} (no bot runs on ${config.dataDir})` };
    }
  }
  if (!existsSync(config.dataDir)) {
    throw new AskFailedError(`no bot is running and there is no data folder at ${config.dataDir}: start the bot (npm start, or npm run demo), or set DATA_DIR to its data folder`);
  }
  try {
    return { ...(await offline(config, req, o.log)), note: `no bot is running on ${config.dataDir}: answered from its stored data` };
  } catch (err) {
    if (!(err instanceof DataDirBusyError)) throw err;
    throw new AskFailedError(busyText(config.dataDir, err, unusable));
  }
}

/** a NoBotError means "try the next one": undefined; anything else stops */
function noBot(err: unknown): undefined {
  if (err instanceof NoBotError) return undefined;
  throw err;
}

async function offline(config: AskConfig, req: OigRequest, log: Logger): Promise<Answered> {
  // imported when needed: the stores (lowdb, pg) take a second to load, and asking a running bot needs none of it
  const { openOffline } = await import('./offline-deps.ts');
  const opened = await openOffline(config, log);
  try {
    return { reply: replyTo(req, opened.deps) };
  } finally {
    await opened.close();
  }
}

/** DATA_DIR is held, yet nobody answered on its socket */
function busyText(dataDir: string, err: DataDirBusyError, unusable: string | undefined): string {
  const h = err.holder;
  if (h?.holder === 'cli') return `${holderText(h)} is working on DATA_DIR ${dataDir}; ask again when it is done`;
  const who = h ? `the bot (pid ${h.pid} on host ${h.hostname}, since ${h.startedAt})` : 'a bot that is starting';
  const why = unusable ?? 'it may still be starting (ask again in a moment), or run a version without npm run oig (restart it)';
  return `${who} holds DATA_DIR ${dataDir} but does not answer on its socket: ${why}`;
}
