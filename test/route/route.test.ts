import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import type { EventRecord } from '../../src/domain/records.ts';
import { cardsFor } from '../../src/route/route.ts';
import {
  accessRequest, accessReview, asa, campaign, contextOf, decision, other, remediation, skipped, systemAlert, unparsed,
} from '../helpers/records.ts';

/** "kind family key threadKey" per card: the routing decision without the card text. */
const summary = (cards: Card[]) =>
  cards.map((c) => [c.kind, c.family, c.key ?? '-', c.threadKey ?? '-'].join(' '));

interface Row {
  name: string;
  record: EventRecord;
  /** what the store holds when routing runs (the dispatcher routes after storing) */
  stored?: EventRecord[];
  expected: string[];
}

const revoke = decision();
const approve = decision({ decision: 'APPROVE', id: 'dec-approve' });
const noResponse = decision({ decision: 'NORESPONSE', id: 'dec-nr', item: 'ITEM2' });

const table: Row[] = [
  { name: 'REVOKE decision → decision card', record: revoke, stored: [revoke], expected: ['decision CERTIFICATION decision:ITEM1 -'] },
  { name: 'lower-case revoke still counts', record: decision({ decision: 'revoke' }), expected: ['decision CERTIFICATION decision:ITEM1 -'] },
  { name: 'APPROVE → digest only', record: approve, stored: [approve], expected: [] },
  { name: 'NORESPONSE → digest only', record: noResponse, expected: [] },
  { name: 'UNREVIEWED → digest only', record: decision({ decision: 'UNREVIEWED' }), expected: [] },
  { name: 'DELEGATE → digest only', record: decision({ decision: 'DELEGATE', outcome: 'SKIPPED' }), expected: [] },
  {
    name: 'stale REVOKE delivered after a newer decision → nothing',
    record: revoke,
    stored: [revoke, decision({ id: 'dec-newer', decision: 'APPROVE', at: '2024-05-02T10:00:00Z' })],
    expected: [],
  },
  {
    name: 'remediation of a REVOKE → reply in its thread + decision card updated',
    record: remediation(),
    stored: [revoke, remediation()],
    expected: ['remediation CERTIFICATION - decision:ITEM1', 'decision CERTIFICATION decision:ITEM1 -'],
  },
  {
    name: 'SKIPPED remediation of a REVOKE → reply + update + manual card',
    record: skipped(),
    stored: [revoke],
    expected: [
      'remediation CERTIFICATION - decision:ITEM1',
      'decision CERTIFICATION decision:ITEM1 -',
      'manual_remediation MANUAL manual:ITEM1 -',
    ],
  },
  {
    name: 'status ERROR with outcome SUCCESS still needs a person',
    record: remediation({ status: 'ERROR' }),
    stored: [revoke],
    expected: [
      'remediation CERTIFICATION - decision:ITEM1',
      'decision CERTIFICATION decision:ITEM1 -',
      'manual_remediation MANUAL manual:ITEM1 -',
    ],
  },
  {
    name: 'remediation with no stored decision → standalone reply',
    record: remediation(),
    expected: ['remediation CERTIFICATION - -'],
  },
  {
    name: 'SKIPPED with no stored decision → manual card only (it says it all)',
    record: skipped(),
    expected: ['manual_remediation MANUAL manual:ITEM1 -'],
  },
  {
    name: 'remediation without campaign item → standalone, keyed by event',
    record: skipped({ item: undefined, id: 'uuid-5' }),
    expected: ['manual_remediation MANUAL manual:uuid-5 -'],
  },
  {
    name: 'remediation of an APPROVE → nothing to reply to',
    record: remediation({ decision: 'APPROVE', remediation: 'NO_ACTION' }),
    stored: [approve],
    expected: [],
  },
  {
    name: 'unknown decision, remediation says NORESPONSE → no reply',
    record: remediation({ decision: 'NORESPONSE', item: 'ITEM3' }),
    expected: [],
  },
  {
    name: 'auto-removal of a NORESPONSE item SKIPPED → manual card',
    record: skipped({ item: 'ITEM2', decision: 'NORESPONSE' }),
    stored: [noResponse],
    expected: ['manual_remediation MANUAL manual:ITEM2 -'],
  },
  { name: 'campaign launch → card', record: campaign('launch'), expected: ['campaign CERTIFICATION - -'] },
  { name: 'campaign close → card', record: campaign('close'), expected: ['campaign CERTIFICATION - -'] },
  { name: 'campaign update → nothing', record: campaign('update'), expected: [] },
  { name: 'campaign create → nothing', record: campaign('create'), expected: [] },
  ...['create', 'resolve', 'reject', 'cancel', 'expire', 'update'].map((action): Row => ({
    name: `access.request.${action} → request card`,
    record: accessRequest(action),
    expected: ['access_request ACCESS_REQUEST request:REQ1 -'],
  })),
  ...['condition.create', 'condition.invalidate', 'sequence.update', 'settings.update'].map((action): Row => ({
    name: `access.request.${action} → configuration, nothing`,
    record: accessRequest(action, { request: undefined }),
    expected: [],
  })),
  { name: 'access review → card', record: accessReview('start'), expected: ['access_review ACCESS_REVIEW - -'] },
  { name: 'system alert → card', record: systemAlert('system.api_token.create'), expected: ['system_alert SYSTEM - -'] },
  { name: 'notable ASA → card', record: asa({ notable: true }), expected: ['asa ASA - -'] },
  { name: 'ordinary ASA → stored only', record: asa(), expected: [] },
  { name: 'ASA explicitly not notable → stored only', record: asa({ notable: false }), expected: [] },
  { name: 'unknown type → nothing', record: other(), expected: [] },
  { name: 'unparsed → nothing', record: unparsed(), expected: [] },
];

describe('cardsFor (SPEC §5 default routing)', () => {
  it.each(table)('$name', ({ record, stored, expected }) => {
    expect(summary(cardsFor(record, contextOf(stored ?? [])))).toEqual(expected);
  });
});

describe('cardsFor details', () => {
  it('rebuilds the decision card from the stored decision with the new status line', () => {
    const [, updated] = cardsFor(skipped(), contextOf([revoke]));
    expect(updated?.facts.find((f) => f.label === 'Remediation')?.value).toBe('SKIPPED — manual remediation needed');
    expect(updated?.notes).toEqual(['Left the sales team in April.']);
  });

  it('gives the manual card the decision for notes it may lack', () => {
    const cards = cardsFor(skipped({ notes: undefined }), contextOf([revoke]));
    expect(cards.find((c) => c.kind === 'manual_remediation')?.notes?.[0]).toBe('Decision notes: Left the sales team in April.');
  });

  it('passes campaign totals into the close card', () => {
    const stored: EventRecord[] = [
      revoke,
      noResponse,
      decision({ id: 'd3', item: 'ITEM3', decision: 'APPROVE' }),
      skipped(),
      campaign('close'),
    ];
    const [card] = cardsFor(campaign('close'), contextOf(stored));
    expect(card?.facts.filter((f) => ['Items', 'Decisions', 'Remediations'].includes(f.label))).toEqual([
      { label: 'Items', value: '3' },
      { label: 'Decisions', value: 'APPROVE 1 · NORESPONSE 1 · REVOKE 1' },
      { label: 'Remediations', value: 'SKIPPED 1' },
    ]);
  });

  it('builds the request card from the stored lifecycle, counting the new event once', () => {
    const create = accessRequest('create', { at: '2024-05-03T10:00:00Z' });
    const resolve = accessRequest('resolve', { at: '2024-05-03T11:00:00Z' });
    const [card] = cardsFor(resolve, contextOf([create, resolve]));
    expect(card?.facts[0]).toEqual({ label: 'State', value: 'Resolved (approved)' });
    expect(card?.eventIds).toEqual(['req-REQ1-create', 'req-REQ1-resolve']);
  });
});
