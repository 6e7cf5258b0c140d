import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { composeBot } from '../src/compose.ts';
import { loadConfig } from '../src/config/config.ts';
import { FakeSlack } from '../test/helpers/fake-slack.ts';
import { postSlashCommand } from '../test/helpers/slack-requests.ts';
import { makeRecords } from './records.ts';
import { percentile, round } from './stats.ts';

/**
 * `/oig` at 1M stored events (SPEC §8: p99 < 100 ms end to end). A real Bot wired with the real Slack
 * adapter (Bolt on the bot's server) against the fake Slack; the store is filled with `makeRecords` in big
 * batches, then signed slash commands (a mix of the SPEC §5 queries) are posted one after another and
 * timed from the request until the ack (which carries the answer) is read.
 *
 * Run alone: `npx tsx bench/oig-query.ts [events]` prints one JSON line.
 */
export const OIG_SIGNING_SECRET = 'bench-oig-signing-secret-0123456789';
const SECRET = OIG_SIGNING_SECRET;
const MIX = ['revokes', 'revokes since 7d', 'campaign Campaign 7', 'user user123@example.com', 'resource App 42', 'requests open', 'stats', 'user User 4', 'revokes campaign campaign 3 since 30d'];

/**
 * Posts the MIX of signed commands to a bot whose Slack signing secret is OIG_SIGNING_SECRET: one warm-up
 * round (JIT, the first connection), then 20 rounds timed one after another; resolves with the times, ms.
 * bench/pg-oig-query.ts times the bot on PostgreSQL with it.
 */
export async function timeCommands(base: string): Promise<number[]> {
  for (const text of MIX) await (await postSlashCommand(base, text, { secret: SECRET })).arrayBuffer();
  const times: number[] = [];
  for (let round_ = 0; round_ < 20; round_++) {
    for (const text of MIX) {
      const t0 = performance.now();
      const res = await postSlashCommand(base, text, { secret: SECRET });
      const body = await res.text();
      times.push(performance.now() - t0);
      if (res.status !== 200 || !body.includes('matched')) throw new Error(`/oig ${text} answered ${res.status}: ${body.slice(0, 200)}`);
    }
  }
  return times;
}

export async function benchOigQuery(events = 1_000_000): Promise<{ events: number; queries: number; p50ms: number; p99ms: number; loadSeconds: number }> {
  const fake = await FakeSlack.start();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-query-'));
  const log = pino({ level: 'silent' });
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: 'bench-oig-hook-secret-0123456789',
    SLACK_BOT_TOKEN: 'xoxb-bench-0000', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, SLACK_CHANNEL: 'C0BENCH',
  });
  const app = await composeBot(config, { hookSecret: config.hook.secret!, log, followUp: false });
  const { bot } = app;
  try {
    const port = await app.start();
    const started = performance.now();
    // filled straight into the store (not through the hook): this measures answering, not intake
    const chunk = 100_000;
    for (let done = 0; done < events; done += chunk) {
      const n = Math.min(chunk, events - done);
      const records = makeRecords(n, (300 * n) / events, Date.now() - ((events - done - n) / events) * 300 * 86_400_000);
      for (let i = 0; i < records.length; i += 5000) await bot.store.append(records.slice(i, i + 5000));
    }
    const loadSeconds = (performance.now() - started) / 1000;
    const times = await timeCommands(`http://127.0.0.1:${port}`);
    return { events: bot.store.stats().events, queries: times.length, p50ms: round(percentile(times, 50), 1), p99ms: round(percentile(times, 99), 1), loadSeconds: round(loadSeconds, 1) };
  } finally {
    await app.stop();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchOigQuery(Number(process.argv[2] ?? 1_000_000))));
}
