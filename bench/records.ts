import { randomUUID } from 'node:crypto';
import type { EventRecord } from '../src/domain/records.ts';
import { normalizeEvent } from '../src/normalize/index.ts';
import { accessRequestEvent, decideEvent, envelope, remediateEvent, systemEvent } from '../test/helpers/okta-events.ts';
import type { EventHookEnvelope, LogEvent } from '../src/okta/log-event.ts';

/** the hook secret of the bot under test */
export const BENCH_SECRET = 'bench-secret-0123456789abcdef';

/**
 * Realistic load for the benchmarks: a mix like a busy governance tenant's (mostly review decisions and
 * remediations, some access requests, a few alerts), spread over the last months.
 */
const MIX = ['decide', 'decide', 'decide', 'decide', 'decide', 'remediate', 'remediate', 'remediate', 'request', 'alert'] as const;

function rawEvent(i: number, published: Date): LogEvent {
  const who = { id: `00u${String(i % 50_000).padStart(17, '0')}`, name: `User ${i % 50_000}`, login: `user${i % 50_000}@example.com` };
  const resource = { id: `0oa${String(i % 300).padStart(17, '0')}`, name: `App ${i % 300}`, type: 'APPLICATION' };
  const campaign = { id: `ici${String(i % 40).padStart(17, '0')}`, name: `Campaign ${i % 40}` };
  const item = `icii${String(i).padStart(16, '0')}`;
  switch (MIX[i % MIX.length]) {
    case 'decide':
      return decideEvent({ published, principal: who, resource, campaign, item, decision: i % 7 === 0 ? 'REVOKE' : 'APPROVE' });
    case 'remediate':
      return remediateEvent({ published, principal: who, resource, campaign, item, outcome: i % 11 === 0 ? 'SKIPPED' : 'SUCCESS' });
    case 'request':
      return accessRequestEvent('create', { published, requestedFor: who, resource });
    default:
      return systemEvent('system.org.rate_limit.warning', { published });
  }
}

/** `count` normalized records with fresh ids, oldest first, the newest `spanDays` ago at most */
export function makeRecords(count: number, spanDays = 300, now = Date.now()): EventRecord[] {
  const templates = Array.from({ length: 1000 }, (_, i) => normalizeEvent(rawEvent(i, new Date(now)), 'hook').record);
  const out: EventRecord[] = new Array(count);
  const step = (spanDays * 86_400_000) / count;
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length]!;
    const at = new Date(now - spanDays * 86_400_000 + i * step).toISOString();
    const r = { ...t, id: randomUUID(), at } as EventRecord;
    if ('item' in r && r.item) r.item = `${r.item}-${i}`;
    out[i] = r;
  }
  return out;
}

/** hook delivery bodies of `perDelivery` fresh raw events each, serialized ahead of time */
export function makeDeliveries(count: number, perDelivery = 20): string[] {
  const bodies: string[] = [];
  for (let d = 0; d < count; d++) {
    const events = Array.from({ length: perDelivery }, (_, k) => rawEvent(d * perDelivery + k, new Date()));
    const env: EventHookEnvelope = envelope(events, { eventId: randomUUID() });
    bodies.push(JSON.stringify(env));
  }
  return bodies;
}
