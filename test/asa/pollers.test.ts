import { FileStateStore } from '../../src/store/file-state-store.ts';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { oktaConnection } from '../../src/okta/okta-auth.ts';
import { createPollers } from '../../src/pollers/index.ts';
import { FakeAsa } from '../helpers/fake-asa.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { decideEvent } from '../helpers/okta-events.ts';
import { eventually } from '../helpers/start-bot.ts';
import { silent, startCore } from './support.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('createPollers', () => {
  it('runs the ASA poller and the System Log backfill at start, reports them, and stops', async () => {
    const asa = await FakeAsa.start();
    const okta = await FakeOkta.start();
    const core = await startCore(false);
    cleanup.push(() => asa.close(), () => okta.close(), async () => {
      await core.stop();
      await rm(core.dataDir, { recursive: true, force: true });
    });
    asa.addEvents(3);
    okta.add(decideEvent({ published: new Date(Date.now() - 60_000).toISOString() }));
    const config = loadConfig({ ...asa.env(), ...okta.env(), DATA_DIR: core.dataDir, ASA_POLL_CRON: '0 0 1 1 *' });
    const pollers = createPollers({ config, intake: core.intake, state: new FileStateStore(core.dataDir), log: silent, metrics: core.metrics, okta: oktaConnection(config.okta!) });
    await pollers.start();

    await eventually(() => {
      const s = pollers.status();
      expect(s.asa?.lastRun).toMatchObject({ trigger: 'start', stored: 3 });
      expect(s.systemLog?.lastRun).toMatchObject({ trigger: 'start', stored: 1 });
    });
    expect(pollers.status().asa?.nextRun).toMatch(/^\d{4}-01-01T/);
    expect(core.store.stats().events).toBe(4);

    await pollers.stop();
    expect(pollers.status().asa?.nextRun).toBeUndefined();
  });

  it('has nothing to run without ASA or Okta configuration', async () => {
    const core = await startCore(false);
    cleanup.push(async () => {
      await core.stop();
      await rm(core.dataDir, { recursive: true, force: true });
    });
    const pollers = createPollers({ config: loadConfig({ DATA_DIR: core.dataDir }), intake: core.intake, state: new FileStateStore(core.dataDir), log: silent, metrics: core.metrics });
    await pollers.start();
    expect(pollers.asa).toBeUndefined();
    expect(pollers.systemLog).toBeUndefined();
    expect(pollers.status()).toEqual({});
    await pollers.stop();
  });
});
