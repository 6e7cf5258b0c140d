import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { normalizeEvent } from '../../src/normalize/index.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { eventually, makeDataDir, postHook, startBot } from '../helpers/start-bot.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('the bot', () => {
  it('applies RETENTION_DAYS at start and keeps recent events', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const store = new LowdbEventStore({ dataDir, retentionDays: 36500 });
    await store.open();
    const old = normalizeEvent(decideEvent({ published: new Date(Date.now() - 40 * 86_400_000) }), 'hook').record;
    const recent = normalizeEvent(decideEvent({ published: new Date(Date.now() - 5 * 86_400_000) }), 'hook').record;
    await store.append([old, recent]);
    await store.close();

    const running = await startBot({ RETENTION_DAYS: '30' }, dataDir);
    try {
      expect(running.bot.store.has(old.id)).toBe(false);
      expect(running.bot.store.has(recent.id)).toBe(true);
    } finally {
      await running.stop();
    }
  });

  it('serves what it stored after a restart, and routes only new events', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const first = await startBot({}, dataDir);
    const revoke = decideEvent({ decision: 'REVOKE', item: 'item-restart' });
    await postHook(first.url, envelope([revoke]));
    await eventually(() => expect(first.sink.cards).toHaveLength(1));
    await first.stop();

    const second = await startBot({}, dataDir);
    try {
      expect(second.bot.store.lookup('item', 'item-restart').map((r) => r.id)).toEqual([revoke.uuid]);
      expect((await postHook(second.url, envelope([revoke]))).status).toBe(200);
      await second.bot.idle();
      expect(second.sink.cards).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
