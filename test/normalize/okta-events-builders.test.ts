/** The shared builders of test/helpers/okta-events.ts: other tests rely on what they promise. */
import { describe, expect, it } from 'vitest';
import { isEventHookEnvelope } from '../../src/okta/log-event.ts';
import { accessRequestEvent, campaignEvent, decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { recordOf } from './support.ts';

describe('okta-events builders', () => {
  it('give every event a fresh uuid unless one is given', () => {
    expect(decideEvent().uuid).not.toBe(decideEvent().uuid);
    expect(decideEvent({ uuid: 'fixed' }).uuid).toBe('fixed');
  });

  it('take published as text or Date', () => {
    expect(decideEvent({ published: new Date('2025-01-02T03:04:05Z') }).published).toBe('2025-01-02T03:04:05.000Z');
    expect(campaignEvent('close', { published: '2025-01-02T03:04:05.000Z' }).published).toBe('2025-01-02T03:04:05.000Z');
  });

  it('tie a decision and its remediation by item', () => {
    const d = recordOf(decideEvent({ item: 'icii42', decision: 'REVOKE' }), 'decision');
    const r = recordOf(remediateEvent({ item: 'icii42', outcome: 'SKIPPED' }), 'remediation');
    expect(r.item).toBe(d.item);
    expect(r.status).toBe('MANUAL');
  });

  it('default the remediation status from the outcome', () => {
    expect(recordOf(remediateEvent({ outcome: 'FAILURE' }), 'remediation').status).toBe('ERROR');
    expect(recordOf(remediateEvent(), 'remediation').status).toBe('SUCCESS');
  });

  it('remove a debugData key set to undefined', () => {
    const event = decideEvent({ debugData: { campaignItemDecision: undefined } });
    expect(event.debugContext?.debugData).not.toHaveProperty('campaignItemDecision');
  });

  it('batch events in an envelope', () => {
    const body = envelope([decideEvent(), accessRequestEvent('create')], { eventId: 'e1' });
    expect(isEventHookEnvelope(body)).toBe(true);
    expect(body.eventId).toBe('e1');
    expect(body.data.events).toHaveLength(2);
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});
