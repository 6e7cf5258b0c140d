/**
 * A real Bot wired with the real Teams adapter (botbuilder CloudAdapter with auth disabled, outbox, paced
 * delivery loop) and the work queue, exactly as src/compose.ts wires them for `npm start`, against a
 * FakeTeams connector, with short pacing so tests stay fast.
 */
import { rm } from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import type { TeamsAdapter, TeamsTuning } from '../../adapters/teams/index.ts';
import type { Bot } from '../../src/app.ts';
import { composeBot } from '../../src/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { WorkQueue } from '../../src/followup/work-queue.ts';
import type { FakeTeams } from '../helpers/fake-teams.ts';
import { makeDataDir, TEST_SECRET } from '../helpers/start-bot.ts';

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

export async function startTeamsBot(_fake: FakeTeams, o: TeamsBotOptions = {}): Promise<TeamsBot> {
  const dataDir = o.dataDir ?? (await makeDataDir());
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: TEST_SECRET, TEAMS_DEV_NO_AUTH: '1', ...o.env });
  const app = await composeBot(config, {
    hookSecret: TEST_SECRET,
    log: o.log ?? pino({ level: 'silent' }),
    teamsTuning: { ...FAST, ...o.tuning },
    followUpHttp: { maxAttempts: 2, baseDelayMs: 10 },
  });
  const port = await app.start();
  return {
    bot: app.bot,
    teams: app.teams!,
    queue: app.followUp!.queue,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async stop(removeData = false) {
      await app.bot.idle();
      await app.stop();
      if (removeData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
