import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { MAX_LISTED } from '../../src/cards/digest-card.ts';
import type { EventRecord } from '../../src/domain/records.ts';
import { DigestStage, type RoutedRecord } from '../../src/delivery/digest.ts';
import { cardsFor } from '../../src/route/route.ts';
import { accessRequest, campaign, contextOf, decision, remediation, skipped } from '../helpers/records.ts';

/** a stage with a clock the test moves */
function stage(over: { threshold?: number } = {}) {
  let now = 1_000_000;
  // emitEveryMs 0: every batch rebuilds the digest, so each step can be checked (throttling: its own test)
  const s = new DigestStage({ threshold: over.threshold ?? 10, windowMs: 30_000, idleMs: 120_000, emitEveryMs: 0, now: () => now });
  return { s, advance: (ms: number) => (now += ms) };
}

/** routes records the way the dispatcher does, against a store holding `stored` plus the records themselves */
function routed(records: EventRecord[], stored: EventRecord[] = []): RoutedRecord[] {
  const ctx = contextOf([...stored, ...records]);
  return records.map((record) => ({ record, cards: cardsFor(record, ctx) }));
}

const revokes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => decision({ item: `I${from + i}`, id: `dec-${from + i}` }));
const kinds = (cards: Card[]) => cards.map((c) => c.kind);

describe('DigestStage', () => {
  it('lets a normal pace of cards through untouched', () => {
    const { s, advance } = stage();
    const all: Card[] = [];
    for (const r of revokes(10)) {
      all.push(...s.process(routed([r]), contextOf([r])));
      advance(1000);
    }
    expect(kinds(all)).toEqual(Array(10).fill('decision'));
    expect(s.activeDigests()).toEqual([]);
  });

  it('turns a batch over the threshold into one digest, without letting any of it through one by one', () => {
    const { s } = stage();
    const records = revokes(11);
    const out = s.process(routed(records), contextOf(records));
    expect(kinds(out)).toEqual(['digest', 'digest']); // the digest and its first detail part
    expect(out[0]).toMatchObject({ family: 'CERTIFICATION', title: 'Campaign digest: Q2 access review' });
    expect(out[1]!.threadKey).toBe(out[0]!.key);
    expect(s.activeDigests()).toEqual([out[0]!.key]);
  });

  it('counts arrivals within the window: the card over the threshold starts the digest', () => {
    const { s, advance } = stage();
    const first = revokes(10);
    for (const r of first) expect(kinds(s.process(routed([r]), contextOf(first)))).toEqual(['decision']);
    advance(1000);
    const [eleventh] = revokes(1, 10);
    expect(kinds(s.process(routed([eleventh!]), contextOf([...first, eleventh!])))).toEqual(['digest', 'digest']);
  });

  it('forgets arrivals older than the window', () => {
    const { s, advance } = stage();
    for (const r of revokes(10)) s.process(routed([r]), contextOf([r]));
    advance(30_001);
    const [later] = revokes(1, 10);
    expect(kinds(s.process(routed([later!]), contextOf([later!])))).toEqual(['decision']);
  });

  it('keeps counting every decision and remediation of the campaign into the digest, NORESPONSE too', () => {
    const { s } = stage();
    const burst = revokes(11);
    const stored: EventRecord[] = [...burst];
    const first = s.process(routed(burst), contextOf(stored));
    const noResponse = Array.from({ length: 5 }, (_, i) => decision({ item: `N${i}`, id: `dec-n${i}`, decision: 'NORESPONSE' }));
    stored.push(...noResponse);
    const out = s.process(routed(noResponse, stored), contextOf(stored));
    expect(kinds(out)).toEqual(['digest']); // only the digest moved: no listed item changed
    expect(out[0]!.key).toBe(first[0]!.key);
    const facts = Object.fromEntries(out[0]!.facts.map((f) => [f.label, f.value]));
    expect(facts['Events collected']).toBe('16');
    expect(facts['Decisions (burst)']).toBe('REVOKE 11 · NORESPONSE 5');
    expect(facts['Campaign decisions']).toBe('REVOKE 11 · NORESPONSE 5');
  });

  it('in digest mode still edits decision cards posted earlier (updateOnly), keeps task cards, and collects the rest', () => {
    const { s } = stage();
    const burst = revokes(11);
    const stored: EventRecord[] = [...burst];
    s.process(routed(burst), contextOf(stored));
    const rem = remediation({ item: 'I3', id: 'rem-I3' });
    const manual = skipped({ item: 'I4', id: 'rem-I4' });
    stored.push(rem, manual);
    const out = s.process(routed([rem, manual], stored), contextOf(stored));
    const edits = out.filter((c) => c.kind === 'decision');
    expect(edits.map((c) => [c.key, c.updateOnly])).toEqual([['decision:I3', true], ['decision:I4', true]]);
    // remediation replies are folded; a task keeps its own card with its buttons
    expect(out.some((c) => c.kind === 'remediation')).toBe(false);
    expect(out.filter((c) => c.kind === 'manual_remediation').map((c) => c.actions?.map((a) => a.id))).toEqual([['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']]);
    const manualDigest = out.find((c) => c.kind === 'digest' && c.family === 'MANUAL');
    expect(manualDigest?.sections?.[0]?.lines).toEqual(['Alice Example · Salesforce (APPLICATION) — SKIPPED']);
  });

  it('lets other campaigns and other families through while one campaign is digested', () => {
    const { s } = stage();
    s.process(routed(revokes(11)), contextOf(revokes(11)));
    const other = decision({ item: 'X1', id: 'dec-x1', campaign: { id: 'icicmp2', name: 'Other' } });
    const request = accessRequest('create');
    const close = campaign('close');
    expect(kinds(s.process(routed([other, request, close]), contextOf([other, request, close])))).toEqual(['decision', 'access_request', 'campaign']);
  });

  it('ends a digest after the campaign was quiet for idleMs; the next burst gets a new digest', () => {
    const { s, advance } = stage();
    const first = s.process(routed(revokes(11)), contextOf(revokes(11)));
    advance(120_001);
    const [one] = revokes(1, 20);
    expect(kinds(s.process(routed([one!]), contextOf([one!])))).toEqual(['decision']);
    const again = s.process(routed(revokes(11, 30)), contextOf(revokes(11, 30)));
    expect(again[0]!.kind).toBe('digest');
    expect(again[0]!.key).not.toBe(first[0]!.key);
  });

  it('names at most MAX_LISTED items and counts the rest', () => {
    const { s } = stage();
    const many = revokes(MAX_LISTED + 25);
    const out = s.process(routed(many), contextOf(many));
    const main = out[0]!;
    expect(main.notes?.join(' ')).toContain('25 more item(s) are counted but not listed');
    expect(out.filter((c) => c.threadKey === main.key)).toHaveLength(MAX_LISTED / 40);
  });

  it('does not digest the bundled demo: 8 new messages for one campaign in a second', () => {
    const { s } = stage();
    const stored: EventRecord[] = [];
    const events: EventRecord[] = [
      decision({ item: 'D1', id: 'a1', decision: 'APPROVE' }),
      decision({ item: 'D4', id: 'd4' }), remediation({ item: 'D4', id: 'r4' }),
      decision({ item: 'D5', id: 'd5' }), skipped({ item: 'D5', id: 'r5' }),
      decision({ item: 'D6', id: 'd6' }), skipped({ item: 'D6', id: 'r6' }),
    ];
    const out: Card[] = [];
    for (const e of events) {
      stored.push(e);
      out.push(...s.process(routed([e], stored), contextOf(stored)));
    }
    expect(out.some((c) => c.kind === 'digest')).toBe(false);
    expect(out.filter((c) => !(c.kind === 'decision' && c.eventIds.length > 1))).toHaveLength(8);
  });

  it('rebuilds a busy digest at most once per emitEveryMs, the latest changes from a timer', async () => {
    let now = 1_000_000;
    const s = new DigestStage({ threshold: 10, windowMs: 30_000, idleMs: 120_000, emitEveryMs: 40, now: () => now });
    const late: Card[][] = [];
    s.onLateCards((cards) => late.push(cards));
    const first = revokes(11);
    expect(kinds(s.process(routed(first), contextOf(first)))).toEqual(['digest', 'digest']);
    // more of the burst within the same 40 ms: collected, not rebuilt
    const more = revokes(5, 11);
    now += 10;
    expect(s.process(routed(more, first), contextOf([...first, ...more]))).toEqual([]);
    const evenMore = revokes(5, 16);
    now += 10;
    expect(s.process(routed(evenMore, [...first, ...more]), contextOf([...first, ...more, ...evenMore]))).toEqual([]);
    expect(late).toEqual([]);
    now += 40;
    await new Promise((r) => setTimeout(r, 80));
    // one trailing version with everything, once
    expect(late).toHaveLength(1);
    const digest = late[0]!.find((c) => c.kind === 'digest' && !c.threadKey)!;
    expect(digest.facts).toContainEqual({ label: 'Events collected', value: '21' });
  });
});
