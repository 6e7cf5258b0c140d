import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/domain/records.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { fromStored, toStored } from '../../src/store/segment-codec.ts';
import { makeDataDir } from '../helpers/start-bot.ts';
import { accessRequest, accessReview, asa, campaign, decision, other, remediation, systemAlert, unparsed } from '../helpers/records.ts';

const ACTOR = { id: '00u1rvw2RitaRevw0d7', name: 'Rita Reviewer', login: 'rita.reviewer@example.com' };

const every: EventRecord[] = [
  decision({ actor: ACTOR, reviewer: { ...ACTOR } }),
  decision({ actor: ACTOR, reviewer: { ...ACTOR, name: 'Rita R.' } }),
  decision({ actor: ACTOR, reviewer: { id: ACTOR.id } }),
  remediation({ src: 'system_log' }),
  campaign('close'),
  accessRequest('create'),
  accessReview('start'),
  systemAlert('system.org.rate_limit.warning'),
  asa(),
  other({ family: 'other' }),
  other({ family: 'system' }),
  unparsed(),
];

/** what a file holds and gives back */
const roundTrip = (r: EventRecord): EventRecord => fromStored(JSON.parse(JSON.stringify(toStored(r))) as object);

describe('segment codec', () => {
  it.each(every.map((r) => [`${r.kind} ${r.family} ${r.src}`, r] as const))('%s reads back exactly as it was', (_, r) => {
    expect(roundTrip(structuredClone(r))).toEqual(r);
  });

  it('leaves out the family of the kind, src hook and a reviewer who is the actor, and does not change the record', () => {
    const r = decision({ actor: ACTOR, reviewer: { ...ACTOR } });
    const before = structuredClone(r);
    const stored = toStored(r) as Record<string, unknown>;
    expect(stored.family).toBeUndefined();
    expect(stored.src).toBeUndefined();
    expect(stored.reviewer).toBe('=actor');
    expect(r).toEqual(before);
    // read back, the reviewer is the actor object itself: shared in memory
    const back = roundTrip(r) as Extract<EventRecord, { kind: 'decision' }>;
    expect(back.reviewer).toBe(back.actor);
  });

  it('keeps what cannot be rebuilt: another family for other records, another source, a different reviewer', () => {
    expect((toStored(other({ family: 'system' })) as Record<string, unknown>).family).toBe('system');
    expect((toStored(remediation({ src: 'system_log' })) as Record<string, unknown>).src).toBe('system_log');
    expect((toStored(decision({ actor: ACTOR, reviewer: { id: ACTOR.id } })) as Record<string, unknown>).reviewer).toEqual({ id: ACTOR.id });
  });

  it('writes smaller segment files, and reads files written with every field (before the codec) the same', async () => {
    const dataDir = await makeDataDir();
    const store = new LowdbEventStore({ dataDir, retentionDays: 100_000 });
    await store.open();
    const records = Array.from({ length: 50 }, (_, i) => decision({ id: `codec-${i}`, actor: ACTOR, reviewer: { ...ACTOR }, at: `2026-03-01T10:00:${String(i).padStart(2, '0')}.000Z` }));
    await store.append(records);
    await store.close();
    const month = path.join(dataDir, 'events', '2026-03');
    const file = path.join(month, (await readdir(month))[0]!);
    const compact = await readFile(file, 'utf8');
    expect(compact).not.toContain('"family"');
    // the same records as an older version wrote them: every field
    const full = JSON.stringify({ records });
    expect(compact.length).toBeLessThan(full.length * 0.85);
    await writeFile(file, full);
    const again = new LowdbEventStore({ dataDir, retentionDays: 100_000 });
    await again.open();
    expect(again.get('codec-7')).toEqual(records[7]);
    expect(again.stats().events).toBe(50);
    await again.close();
  });
});
