import { afterEach, describe, expect, it, vi } from 'vitest';
import { asaHarness, type AsaHarness } from './support.ts';

let h: AsaHarness;
let release = () => {};
afterEach(async () => {
  vi.useRealTimers();
  release();
  await h.close();
});

/** waits for real I/O (the fake server, the files) while the timers are fake: setImmediate stays real */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 20_000 && !check(); i++) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}

describe('ASA poller: the schedule', () => {
  it('skips cron ticks while a run is still going (noOverlap), and runs again after', async () => {
    // every second; undici's own timers are faked too, so give it room
    h = await asaHarness({ cron: '* * * * * *', agent: { headersTimeoutMs: 120_000, bodyTimeoutMs: 120_000 } });
    h.asa.addEvents(3);
    release = h.asa.hold();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    await h.poller.start();
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => h.asa.inFlight === 1);

    await vi.advanceTimersByTimeAsync(4000); // four ticks while the first run waits for ASA
    expect(h.poller.status()).toMatchObject({ running: true, scheduledRuns: 1, skippedTicks: 4 });
    expect(h.asa.calls.audits).toBe(1);

    release();
    await until(() => !h.poller.status().running);
    expect(h.poller.status().recentRuns).toHaveLength(1);
    expect(h.poller.status().recentRuns[0]).toMatchObject({ trigger: 'cron', stored: 3 });

    await vi.advanceTimersByTimeAsync(1000);
    await until(() => h.poller.status().recentRuns.length === 2);
    expect(h.poller.status().scheduledRuns).toBe(2);
    expect(h.asa.maxInFlight).toBe(1);
    expect(h.poller.status().recentRuns[1]).toMatchObject({ trigger: 'cron', duplicates: 3, stored: 0 });
  });

  it('a manual run during a run joins it instead of starting a second one', async () => {
    h = await asaHarness();
    h.asa.addEvents(2);
    release = h.asa.hold();
    const first = h.poller.runOnce('manual');
    const second = h.poller.runOnce('manual');
    expect(second).toBe(first);
    release();
    await first;
    expect(h.asa.calls.audits).toBe(1);
    expect(h.poller.status().recentRuns).toHaveLength(1);
  });

  it('stop() waits for the run in progress and ends the schedule', async () => {
    h = await asaHarness({ cron: '* * * * * *' });
    h.asa.addEvents(2);
    release = h.asa.hold();
    await h.poller.start();
    const run = h.poller.runOnce();
    let stopped = false;
    const stopping = h.poller.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await run).stored).toBe(2);
    expect(h.poller.status().nextRun).toBeUndefined();
  });
});
