/**
 * The bot as `npm start` assembles it (src/compose.ts), on 127.0.0.1 and a fresh DATA_DIR, for tests that
 * drive a chat adapter end to end: the Slack and Teams test bots and the both-chats test build on it.
 */
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { composeBot, type ComposeOptions, type Composed } from '../../src/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { makeDataDir, TEST_SECRET } from './start-bot.ts';

export interface ComposedBot {
  app: Composed;
  /** http://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  /** waits for listeners, stops everything; `removeData` deletes DATA_DIR too */
  stop(removeData?: boolean): Promise<void>;
}

/** `env` adds to PORT, HOST, DATA_DIR and OKTA_HOOK_SECRET; the logger is silent unless given */
export async function startComposedBot(env: Record<string, string>, o: Partial<ComposeOptions> & { dataDir?: string } = {}): Promise<ComposedBot> {
  const { dataDir: given, ...compose } = o;
  const dataDir = given ?? (await makeDataDir());
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: TEST_SECRET, ...env });
  const app = await composeBot(config, { hookSecret: TEST_SECRET, log: pino({ level: 'silent' }), followUpHttp: { maxAttempts: 2, baseDelayMs: 10 }, ...compose });
  const port = await app.start();
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async stop(removeData = false) {
      await app.bot.idle();
      await app.stop();
      if (removeData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
