import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_ASA, startDemoAsa } from './demo/demo-asa-server.ts';
import { DEMO_ASA_USER_MAP, sampleEvents } from './demo/sample-events.ts';
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
  // ASA audits come from a built-in fake server, read by the bot's real ASA poller
  const asa = await startDemoAsa();
  const bot = await main({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: process.env.PORT ?? '0',
    ASA_TEAM: DEMO_ASA.team,
    ASA_KEY_ID: DEMO_ASA.keyId,
    ASA_KEY_SECRET: DEMO_ASA.keySecret,
    ASA_BASE_URL: asa.baseUrl,
    // the demo's revoked Erin still logs in to ASA: tied to her Okta id, so the bot flags it
    ASA_USER_MAP: process.env.ASA_USER_MAP ?? DEMO_ASA_USER_MAP,
  });
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
  // the poller's first run starts with the bot; wait for it, then for the cards
  while (!bot.pollerStatus().asa?.lastRun) await new Promise((r) => setTimeout(r, 50));
  await bot.idle();
  const asaRun = bot.pollerStatus().asa?.lastRun;
  process.stdout.write(
    `\ndemo: replayed ${events.length} sample Okta events and read ${asaRun?.read ?? 0} ASA audit events from the built-in fake (data in ${dataDir}).\n` +
      (process.argv.includes('--exit')
        ? ''
        : `The bot keeps running at ${bot.url}; press Ctrl-C to stop.\n` +
          `Ask it from another terminal: npm run oig -- skipped   (or DATA_DIR=${dataDir} npm run oig -- skipped while another bot runs in ./data)\n`),
  );
  if (process.argv.includes('--exit')) {
    await bot.stop();
    await asa.close();
    process.exit(0);
  }
}

demo().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
