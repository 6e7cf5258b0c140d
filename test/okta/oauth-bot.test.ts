/**
 * The OAuth service app through the whole bot: the bot as src/compose.ts assembles it (System Log backfill
 * at start, "Verify in Okta" from a Slack button) and the real entry point src/main.ts in a child process
 * (its banner, its one-line refusal, and logs that never hold the key, the assertion or a token).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { rm } from 'node:fs/promises';
import { composeBot } from '../../src/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { GOVERNANCE_SCOPE } from '../../src/okta/oauth-scopes.ts';
import { startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { FakeOktaOAuth, oauthEnv, serviceAppKey, type ServiceAppKey } from '../helpers/fake-okta-oauth.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { APP, decideEvent, envelope, PRINCIPAL, remediateEvent } from '../helpers/okta-events.ts';
import { postSlack } from '../helpers/slack-requests.ts';
import { eventually, makeDataDir, postHook, TEST_SECRET } from '../helpers/start-bot.ts';
import { clickBody, startTaskBot, type TaskBot } from '../followup/task-bot.ts';
import { MANUAL } from '../slack/slack-bot.ts';

const KEY: ServiceAppKey = serviceAppKey('rsa');
let okta: FakeOkta;
let app: FakeOktaOAuth;
const cleanup: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  okta = await FakeOkta.start();
  app = FakeOktaOAuth.mount(okta, { keys: [{ kid: KEY.kid, publicKey: KEY.publicKey }] });
});
afterEach(async () => {
  // the bot processes first: one still running writes DATA_DIR while it is being removed
  await stopProcesses();
  for (const c of cleanup.splice(0).reverse()) await c();
  await okta.close();
});

describe('the bot with an Okta OAuth service app', () => {
  let fake: FakeSlack;
  let running: TaskBot;

  async function verify(item: string): Promise<string> {
    const name = 'verify1';
    const res = await postSlack(running.actionsUrl, clickBody('oig_manual_verify', `item:${item}`, { user: 'U0ALICE', responseUrl: fake.responseUrl(name) }));
    expect(res.status).toBe(200);
    let text = '';
    await eventually(() => {
      text = fake.responses.filter((r) => r.path.endsWith(`/${name}`)).map((r) => JSON.stringify(r.body)).join('\n');
      expect(text).not.toBe('');
    });
    return text;
  }

  it('backfills the System Log and answers Verify with one access token, shared', async () => {
    fake = await FakeSlack.start();
    const missed = decideEvent({ decision: 'REVOKE', published: new Date(Date.now() - 30 * 60_000).toISOString() });
    okta.add(missed);
    okta.assignApp(APP.id, PRINCIPAL.id, 'USER');
    running = await startTaskBot(fake, { env: { OIG_ALLOWED_USERS: 'U0ALICE', ...oauthEnv(okta, app, KEY) } });
    cleanup.push(() => fake.close(), () => running.stop(true));

    // the System Log backfill ran at start with the service app's token
    await eventually(() => expect(running.sb.bot.store.has(missed.uuid as string)).toBe(true));
    expect(okta.requests.length).toBeGreaterThan(0);
    expect(okta.requests.every((r) => r.authorization === `Bearer ${app.tokens[0]}`)).toBe(true);

    await postHook(running.sb.url, envelope([remediateEvent({ item: 'iciiOAuth01', outcome: 'SKIPPED', resource: APP, published: '2026-11-01T09:00:00.000Z' })]));
    await eventually(() => expect(running.queue.get('item:iciiOAuth01')?.state).toBe('open'));
    await eventually(() => expect(fake.posts(MANUAL)).toHaveLength(1));
    expect(await verify('iciiOAuth01')).toContain('Still assigned');
    expect(okta.apiRequests).toContain(`/api/v1/apps/${APP.id}/users/${PRINCIPAL.id}`);
    // the start-up check, the backfill and Verify shared one token
    expect(app.requests.map((r) => r.outcome)).toEqual(['issued']);
  });

  it('a refusal at start stops the composed bot before it listens', async () => {
    app.requireDpop = true;
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: TEST_SECRET, ...oauthEnv(okta, app, KEY) });
    const composed = await composeBot(config, { hookSecret: TEST_SECRET, log: pino({ level: 'silent' }), followUp: false });
    cleanup.push(() => composed.stop());
    await expect(composed.start()).rejects.toThrow(/^Okta requires DPoP proofs from this service app/);
    expect(composed.bot.url).toBe('');
    expect(okta.requests).toHaveLength(0);
  });
});

describe('npm start with an Okta OAuth service app', () => {
  it('says which credential the System Log backfill uses, and never logs the key, the assertion or a token', async () => {
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    app.granted.delete(GOVERNANCE_SCOPE);
    const bot = await startProcess(dataDir, { ...oauthEnv(okta, app, KEY), LOG_LEVEL: 'trace' });
    expect(bot.out()).toMatch(new RegExp(`System Log backfill +on: ${okta.url}, every 5 minutes, OAuth service app ${app.clientId} \\(key ${KEY.kid}, RS256\\)`));
    await eventually(() => expect(okta.requests.length).toBeGreaterThan(0), 10_000);
    // the governance scope refused: said once, in a warning
    await eventually(() => expect(bot.out()).toContain(`Okta did not grant ${GOVERNANCE_SCOPE}`));
    const out = bot.out();
    for (const line of KEY.privatePem.split('\n').slice(1, -2)) expect(out).not.toContain(line);
    for (const r of app.requests) expect(out).not.toContain(r.form.get('client_assertion')!.split('.')[2]);
    for (const t of app.tokens) expect(out).not.toContain(t);
  });

  it.each<[string, (a: FakeOktaOAuth) => void, RegExp]>([
    ['DPoP required', (a) => (a.requireDpop = true), /^oig-chatops: cannot start: Okta requires DPoP proofs from this service app \(invalid_dpop_proof: The DPoP proof JWT header is missing\.\), which the bot does not send: in the Okta Admin Console open Applications › Applications › your API Services app › General › General Settings › Edit, clear "Require Demonstrating Proof of Possession \(DPoP\) header in token requests" and save$/],
    ['a scope not granted', (a) => a.granted.delete('okta.logs.read'), /^oig-chatops: cannot start: Okta did not grant the scope okta\.logs\.read to the service app \(invalid_scope: .*\): grant it under Applications › Applications › your API Services app › Okta API Scopes, then restart the bot$/],
  ])('stops with one line when Okta refuses: %s', async (_name, change, line) => {
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    change(app);
    const err = await startProcess(dataDir, oauthEnv(okta, app, KEY)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/^exited with 1:\n/);
    const lines = err!.message.split('\n').slice(1).filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });
});
