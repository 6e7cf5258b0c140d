import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { NormalizePool } from '../../src/intake/normalize-pool.ts';
import type { EventRecord } from '../../src/domain/records.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';

const pools: NormalizePool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

async function startPool(size = 2): Promise<NormalizePool> {
  const pool = new NormalizePool(pino({ level: 'silent' }), size);
  pools.push(pool);
  await pool.start();
  return pool;
}

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

describe('NormalizePool (real worker threads)', () => {
  it('answers every job with its own delivery, whatever the order workers finish in', async () => {
    const pool = await startPool(2);
    const deliveries = Array.from({ length: 40 }, (_, i) => envelope([decideEvent({ item: `item-${i}` }), decideEvent({ item: `item-${i}` })], { eventId: `evt-${i}` }));
    const outcomes = await Promise.all(deliveries.map((d) => pool.parse(bytes(d), 'hook')));
    outcomes.forEach((o, i) => {
      if (!o.ok) throw new Error(`job ${i} failed: ${o.message}`);
      expect(o.delivery.eventId).toBe(`evt-${i}`);
      const records = JSON.parse(o.delivery.recordsJson) as EventRecord[];
      expect(records.map((r) => (r.kind === 'decision' ? r.item : undefined))).toEqual([`item-${i}`, `item-${i}`]);
    });
  });

  it('turns bad bodies into outcomes with the status the hook answers', async () => {
    const pool = await startPool(1);
    expect(await pool.parse(bytes('{"data":'), 'hook')).toMatchObject({ ok: false, code: 'NOT_JSON', status: 400 });
    expect(await pool.parse(bytes([1, 2]), 'hook')).toMatchObject({ ok: false, code: 'NOT_AN_EVENT_HOOK', status: 400 });
    expect(await pool.parse(bytes({ data: { events: [{ eventType: 'x.y', published: 'soon' }] } }), 'hook')).toMatchObject({
      ok: true,
      delivery: { count: 1, warnings: [expect.objectContaining({ type: 'x.y' })] },
    });
  });

  it('orders a delivery by published time', async () => {
    const pool = await startPool(1);
    const late = decideEvent({ published: '2026-11-02T00:00:00.000Z' });
    const early = decideEvent({ published: '2026-11-01T00:00:00.000Z' });
    const o = await pool.parse(bytes(envelope([late, early])), 'hook');
    expect(o.ok && (JSON.parse(o.delivery.recordsJson) as EventRecord[]).map((r) => r.id)).toEqual([early.uuid, late.uuid]);
  });

  it('refuses work with 503 once closed', async () => {
    const pool = await startPool(1);
    await pool.close();
    await expect(pool.parse(bytes(envelope([])), 'hook')).rejects.toMatchObject({ code: 'NORMALIZER_STOPPED', status: 503 });
  });
});
