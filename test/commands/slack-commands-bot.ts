import { FileStateStore } from '../../src/store/file-state-store.ts';
/**
 * A real Bot with the real Slack adapter against a FakeSlack, like test/slack/slack-bot.ts, but with the
 * `/oig` dependencies (a work queue) passed through createSlack the way main.ts will, and the fixture
 * records stored.
 */
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { createSlack, type SlackAdapter } from '../../adapters/slack/index.ts';
import { pollerLines } from '../../src/commands/poller-lines.ts';
import { Bot } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { CardSink } from '../../src/delivery/card-sink.ts';
import type { EventRecord } from '../../src/domain/records.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { SIGNING_SECRET } from '../helpers/slack-requests.ts';
import { makeDataDir, TEST_SECRET } from '../helpers/start-bot.ts';
import { FAST } from '../slack/slack-bot.ts';
import { AUDITS, TASKS, taskSource } from './fixture-store.ts';

export interface CommandsBot {
  bot: Bot;
  slack: SlackAdapter;
  url: string;
  dataDir: string;
  stop(removeData?: boolean): Promise<void>;
}

export async function startCommandsBot(fake: FakeSlack, records: EventRecord[] = [], dataDir?: string): Promise<CommandsBot> {
  const dir = dataDir ?? (await makeDataDir());
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, OKTA_HOOK_SECRET: TEST_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-0000-fake-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, SLACK_CHANNEL: 'C0CERT0001',
  });
  const log = pino({ level: 'silent' });
  const sinks: CardSink[] = [];
  const bot = new Bot({ config, hookSecret: TEST_SECRET, log, sinks });
  const commands = { tasks: taskSource(TASKS, AUDITS), stats: { pollers: () => pollerLines(bot.pollerStatus()) } };
  const slack = await createSlack({ config, router: bot.router, store: bot.store, state: new FileStateStore(dir), log, metrics: bot.metrics, commands }, FAST);
  sinks.push(slack.sink);
  const port = await bot.start();
  await slack.start();
  // stored directly: these tests are about answering, not intake (and no cards should be posted for them)
  if (records.length) await bot.store.append(records);
  return {
    bot,
    slack,
    url: `http://127.0.0.1:${port}`,
    dataDir: dir,
    async stop(removeData = false) {
      await bot.idle();
      await bot.stop();
      await slack.stop();
      if (removeData) await rm(dir, { recursive: true, force: true });
    },
  };
}
