import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleEvents } from './demo/sample-events.ts';
import { main } from './main.ts';
import { envelopeOf } from './tools/replay-payload.ts';

/**
 * `npm run demo`: local mode, then the bundled samples are posted to the bot's own hook URL, the real
 * path an Okta delivery takes, so a newcomer sees every card kind within seconds. The demo keeps its data
 * in a fresh temporary folder (unless DATA_DIR is set) so it never mixes with a real store; `--exit`
 * stops the bot when the replay is done (used by the tests).
 */
async function demo(): Promise<void> {
  const dataDir = process.env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'oig-chatops-demo-'));
  const bot = await main({ ...process.env, DATA_DIR: dataDir, PORT: process.env.PORT ?? '0' });
  const url = `${bot.url}/okta/hooks`;
  const events = sampleEvents();
  // one delivery per event, as Okta sends them while a campaign runs
  for (const event of events) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [bot.hookAuthHeader]: bot.hookSecret },
      body: JSON.stringify(envelopeOf([event])),
    });
    if (!res.ok) throw new Error(`the demo delivery was refused: ${res.status} ${await res.text()}`);
  }
  await bot.idle();
  process.stdout.write(
    `\ndemo: replayed ${events.length} sample Okta events (data in ${dataDir}).\n` +
      (process.argv.includes('--exit') ? '' : `The bot keeps running at ${bot.url}; press Ctrl-C to stop.\n`),
  );
  if (process.argv.includes('--exit')) {
    await bot.stop();
    process.exit(0);
  }
}

demo().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
