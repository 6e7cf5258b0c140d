/**
 * A real Bot wired with the real Teams adapter (botbuilder CloudAdapter with auth disabled, outbox, paced
 * delivery loop) and the work queue, exactly as src/compose.ts wires them for `npm start`, against a
 * FakeTeams connector (the activities tests post name it as their serviceUrl), with short pacing so tests
 * stay fast.
 */
import type { Logger } from 'pino';
import type { TeamsAdapter, TeamsTuning } from '../../adapters/teams/index.ts';
import type { Bot } from '../../src/app.ts';
import type { WorkQueue } from '../../src/followup/work-queue.ts';
import { startComposedBot } from '../helpers/composed-bot.ts';

export const FAST: TeamsTuning = { pacing: { intervalMs: 40, backoffBaseMs: 30, backoffMaxMs: 200, parkMs: 300 } };

export interface TeamsBot {
  bot: Bot;
  teams: TeamsAdapter;
  queue: WorkQueue;
  url: string;
  dataDir: string;
  stop(removeData?: boolean): Promise<void>;
}

export interface TeamsBotOptions {
  env?: Record<string, string>;
  /** merged over FAST */
  tuning?: TeamsTuning;
  log?: Logger;
  dataDir?: string;
}

export async function startTeamsBot(o: TeamsBotOptions = {}): Promise<TeamsBot> {
  const { app, url, dataDir, stop } = await startComposedBot(
    { TEAMS_DEV_NO_AUTH: '1', ...o.env },
    { ...(o.dataDir ? { dataDir: o.dataDir } : {}), ...(o.log ? { log: o.log } : {}), teamsTuning: { ...FAST, ...o.tuning } },
  );
  return { bot: app.bot, teams: app.teams!, queue: app.followUp!.queue, url, dataDir, stop };
}
