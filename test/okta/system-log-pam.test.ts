import { FileStateStore } from '../../src/store/file-state-store.ts';
/**
 * OKTA_SYSTEM_LOG_PAM=1: the System Log backfill also reads Okta Privileged Access audit events
 * (`eventType sw "pam."`) from a fake Okta, through the real pollers, intake, store and routing; they answer
 * `/oig asa` beside the ASA poller's events, and a notable one is carded when fresh, summarised when old.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DEFAULT_NOTABLE_ASA_TYPES } from '../../src/asa/notable-types.ts';
import { chatCommand } from '../../src/commands/engine.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { AsaRecord } from '../../src/domain/records.ts';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient } from '../../src/http-client/http-client.ts';
import { normalizeAsaEvent } from '../../src/normalize/asa.ts';
import { oktaConnection } from '../../src/okta/okta-auth.ts';
import { SystemLogBackfill } from '../../src/okta/system-log-backfill.ts';
import { createPollers, type Pollers } from '../../src/pollers/index.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { ADMIN, PRINCIPAL, decideEvent, logEvent, pamEvent } from '../helpers/okta-events.ts';
import { silent, startCore, type Core } from '../asa/support.ts';

const MINUTE = 60_000;
const minutesAgo = (m: number) => new Date(Date.now() - m * MINUTE).toISOString();
const PAM_FILTER = 'eventType sw "pam."';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string>, bot = true): Promise<{ okta: FakeOkta; core: Core; pollers: Pollers }> {
  const okta = await FakeOkta.start();
  const core = await startCore(bot);
  cleanup.push(() => okta.close(), async () => {
    await core.stop();
    await rm(core.dataDir, { recursive: true, force: true });
  });
  const config = loadConfig({ ...okta.env(), DATA_DIR: core.dataDir, ...env });
  const pollers = createPollers({ config, intake: core.intake, state: new FileStateStore(core.dataDir), log: silent, metrics: core.metrics, okta: oktaConnection(config.okta!) });
  cleanup.push(() => pollers.stop());
  return { okta, core, pollers };
}

/** an ASA auditsV2 event as the ASA poller stores it */
function asaLogin(user: string, server: string, at: string): AsaRecord {
  const related = { u: { type: 'user', object: { name: user } }, s: { type: 'server', object: { hostname: server, project_name: 'prod' } } };
  const { record } = normalizeAsaEvent({ id: 'asa-audit-7', timestamp: at, details: { type: 'server.ssh_login', actor: 'u', server: 's' } }, related, { notableTypes: new Set(DEFAULT_NOTABLE_ASA_TYPES) });
  return record as AsaRecord;
}

describe('OPA audit events from the System Log', () => {
  it('are read with OKTA_SYSTEM_LOG_PAM=1, stored as ASA/OPA records, carded when fresh and notable, summarised when old', async () => {
    const { okta, core, pollers } = await setup({ OKTA_SYSTEM_LOG_PAM: '1' });
    const login = pamEvent('server.ssh_login', { published: minutesAgo(5), servers: ['web-01'], groups: ['Finance Admins'] });
    const token = pamEvent('auth_token.issue', { published: minutesAgo(4), servers: [] });
    const old = pamEvent('user_creds.issue', { published: minutesAgo(5 * 60), servers: ['db-01'] });
    const admin = pamEvent('project.update', { actor: ADMIN, published: minutesAgo(3), servers: [] });
    okta.add(old, login, token, admin, logEvent({ published: minutesAgo(2) }));

    const run = await pollers.systemLog!.runOnce();
    expect(run.error).toBeUndefined();
    // the governance queries and one for pam.*; user.lifecycle.deactivate is asked by nobody
    expect(run).toMatchObject({ queries: 3, read: 4, stored: 4 });
    const pam = okta.requests.find((r) => r.query.get('filter') === PAM_FILTER)!;
    expect(pam).toBeDefined();
    expect(Math.abs(Date.parse(pam.query.get('since')!) - (Date.now() - 24 * 60 * MINUTE))).toBeLessThan(MINUTE);
    expect(okta.requests.filter((r) => r.query.get('filter')?.includes('pam.')).map((r) => r.query.get('filter'))).toEqual([PAM_FILTER, PAM_FILTER]);

    const stored = core.store.get(login.uuid as string) as AsaRecord;
    expect(stored).toMatchObject({ kind: 'asa', family: 'asa', type: 'pam.server.ssh_login', src: 'system_log', user: PRINCIPAL.login, server: 'web-01', notable: true });
    expect(stored.details).toMatchObject({ origin: 'OPA', oktaUserId: PRINCIPAL.id, groups: 'Finance Admins' });

    await core.idle();
    const cards = core.sink!.cards;
    // fresh and notable: its own card in the ASA family; the routine token and the admin's update: none
    expect(cards.filter((c) => c.kind === 'asa').map((c) => c.eventIds)).toEqual([[login.uuid]]);
    const card = cards.find((c) => c.kind === 'asa')!;
    expect(card.family).toBe('ASA');
    expect(card.title).toBe('Jane Doe (jane.doe@example.com) logged in to web-01 (project prod)');
    expect(card.facts).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'pam.server.ssh_login' })]));
    // five hours old on arrival: stored, answerable, and in one "caught up" summary instead of a card
    const summary = cards.filter((c) => c.kind === 'catch_up').at(-1)!;
    expect(summary.title).toMatch(/^Caught up 1 ASA events from /);
    expect(summary.family).toBe('ASA');
    expect(cards.some((c) => c.kind === 'asa' && c.eventIds.includes(old.uuid as string))).toBe(false);

    // /oig asa answers for ASA and OPA alike
    await core.store.append([asaLogin('bob', 'web-01', minutesAgo(1))]);
    const deps = { store: core.store };
    const all = chatCommand('asa', deps).page();
    expect(all.answer.matched).toBe(5);
    expect(all.rows.map((r) => [r.cells[1], r.cells[7]])).toEqual([
      ['server.ssh_login', 'ASA'],
      ['pam.project.update', 'OPA'],
      ['pam.auth_token.issue', 'OPA'],
      ['pam.server.ssh_login', 'OPA'],
      ['pam.user_creds.issue', 'OPA'],
    ]);
    const server = chatCommand('asa web-01', deps).page();
    expect(server.rows.map((r) => r.cells[2])).toEqual(['bob', PRINCIPAL.login]);
    // a person is found by Okta login, name or id
    for (const who of [PRINCIPAL.login, 'jane doe', PRINCIPAL.id]) {
      expect(chatCommand(`asa ${who}`, deps).page().answer.matched).toBe(3);
    }
    const csv = chatCommand('export asa since 2h', deps).csv!();
    expect(csv.rows).toBe(4);
    expect(csv.csv).toContain(`,OPA,${login.uuid}\r\n`);
    expect(csv.csv).toContain(',ASA,asa-audit-7\r\n');
    expect(csv.csv).not.toContain(old.uuid as string);
  });

  it('are not read without OKTA_SYSTEM_LOG_PAM', async () => {
    const { okta, core, pollers } = await setup({}, false);
    okta.add(pamEvent('server.ssh_login', { published: minutesAgo(5) }), decideEvent({ published: minutesAgo(5) }));
    const run = await pollers.systemLog!.runOnce();
    expect(run).toMatchObject({ queries: 2, stored: 1 });
    expect(okta.requests.some((r) => r.query.get('filter')?.includes('pam.'))).toBe(false);
    expect(core.store.stats().events).toBe(1);
  });

  it('turned on later: the first run reads a day of OPA events back, then from the mark like the rest', async () => {
    const okta = await FakeOkta.start();
    const core = await startCore(false);
    const agent = createHttpAgent({ headersTimeoutMs: 5000 });
    cleanup.push(() => okta.close(), () => agent.close(), async () => {
      await core.stop();
      await rm(core.dataDir, { recursive: true, force: true });
    });
    const http = new HttpClient({ dispatcher: agent, maxAttempts: 1 });
    const make = (pam: boolean) =>
      new SystemLogBackfill({ okta: oktaConnection({ orgUrl: okta.url, apiToken: okta.token }), intake: core.intake, state: new FileStateStore(core.dataDir), log: pino({ level: 'silent' }), metrics: core.metrics, http, runAtStart: false, pam });
    const earlier = pamEvent('user_creds.issue', { published: minutesAgo(3 * 60) });
    okta.add(earlier);
    await make(false).runOnce();
    expect(core.store.has(earlier.uuid as string)).toBe(false);

    const withPam = make(true);
    await withPam.open();
    const mark = Date.parse(withPam.status().mark!);
    okta.requests.length = 0;
    expect(await withPam.runOnce()).toMatchObject({ queries: 3, stored: 1 });
    expect(core.store.has(earlier.uuid as string)).toBe(true);
    const sinceOf = (filter: (f: string) => boolean) => Date.parse(okta.requests.find((r) => filter(r.query.get('filter') ?? ''))!.query.get('since')!);
    expect(sinceOf((f) => f === PAM_FILTER)).toBeLessThan(Date.now() - 23 * 60 * MINUTE);
    expect(sinceOf((f) => f.startsWith('eventType eq'))).toBe(mark - 10 * MINUTE);

    okta.requests.length = 0;
    const next = await withPam.runOnce();
    expect(next.error).toBeUndefined();
    const newMark = sinceOf((f) => f === PAM_FILTER);
    expect(newMark).toBe(sinceOf((f) => f.startsWith('eventType eq')));
    expect(newMark).toBeGreaterThan(Date.now() - 30 * MINUTE);
  });
});
