import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEventHookEnvelope } from '../../src/okta/log-event.ts';
import { normalizeEvent } from '../../src/normalize/index.ts';
import { decideEvent, envelope, logEvent, readOktaFixture, remediateEvent } from '../helpers/okta-events.ts';
import { emptyPaths, fixture, normalize, NOW } from './support.ts';

const eventFixtures = readdirSync(new URL('../fixtures/okta/', import.meta.url))
  .filter((f) => f.endsWith('.json') && !f.startsWith('com.okta.event_hook') && !f.startsWith('event-types'));

describe('normalizeEvent: dispatch', () => {
  it.each([
    ['certification.campaign.item.decide.revoke.json', 'decision', 'certification'],
    ['certification.campaign.item.remediate.success.json', 'remediation', 'certification'],
    ['certification.campaign.launch.json', 'campaign', 'certification'],
    ['access.request.create.json', 'access_request', 'access_request'],
    ['access.review.action.json', 'access_review', 'access_review'],
    ['system.api_token.create.panther-test.json', 'system_alert', 'system'],
    ['system.org.rate_limit.warning.panther-test.json', 'system_alert', 'system'],
    ['user.lifecycle.deactivate.json', 'other', 'other'],
    ['pam.user_creds.issue.workload.json', 'asa', 'asa'],
    ['pam.secret.reveal.user.json', 'asa', 'asa'],
  ])('%s → kind %s, family %s', (name, kind, family) => {
    const { record, warning } = normalize(fixture(name));
    expect(record).toMatchObject({ kind, family });
    expect(warning).toBeUndefined();
  });

  it('reads every event of an envelope the same way as alone', () => {
    const body = fixture('com.okta.event_hook.envelope.oig-batch.json');
    expect(isEventHookEnvelope(body)).toBe(true);
    if (!isEventHookEnvelope(body)) return;
    const kinds = body.data.events.map((e) => normalize(e).record.kind);
    expect(kinds).toEqual(['decision', 'remediation', 'remediation', 'access_request']);
    const official = readOktaFixture('com.okta.event_hook.envelope.user.session.start.json');
    expect(isEventHookEnvelope(official)).toBe(true);
  });

  it('passes the source through', () => {
    expect(normalizeEvent(decideEvent(), 'system_log').record.src).toBe('system_log');
  });
});

describe('normalizeEvent: records are compact JSON', () => {
  it.each(eventFixtures)('%s has no undefined/null value and survives a JSON round trip', (name) => {
    const { record } = normalize(fixture(name));
    expect(emptyPaths(record)).toEqual([]);
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
  });

  it('holds for a decision with almost nothing in it', () => {
    const { record } = normalize({
      eventType: 'certification.campaign.item.decide',
      uuid: 'u1',
      published: '2025-01-01T00:00:00Z',
      actor: null,
      outcome: { result: null },
    });
    expect(record).toStrictEqual({
      id: 'u1',
      type: 'certification.campaign.item.decide',
      family: 'certification',
      kind: 'decision',
      at: '2025-01-01T00:00:00.000Z',
      src: 'hook',
      campaign: {},
      principal: {},
      resource: {},
    });
  });
});

describe('normalizeEvent: id and time', () => {
  it('uses the Okta uuid as id', () => {
    const event = decideEvent({ uuid: '11111111-2222-3333-4444-555555555555' });
    expect(normalize(event).record.id).toBe('11111111-2222-3333-4444-555555555555');
  });

  it('hashes an event without uuid, stably and whatever the key order', () => {
    const event = remediateEvent({ item: 'icii1', published: '2025-06-30T14:02:14.870Z' });
    delete event.uuid;
    const reordered = Object.fromEntries(Object.entries(structuredClone(event)).reverse());
    const a = normalize(event).record.id;
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(normalize(structuredClone(event)).record.id).toBe(a);
    expect(normalize(reordered).record.id).toBe(a);
    expect(normalize({ ...event, published: '2025-06-30T14:02:15.000Z' }).record.id).not.toBe(a);
  });

  it.each([
    ['missing', undefined, 'no published time'],
    ['unreadable', 'last Tuesday', 'unreadable published time "last Tuesday"'],
  ])('falls back to the receive time with a warning when published is %s', (_, published, why) => {
    const event = logEvent({ uuid: 'u2', published });
    const { record, warning } = normalize(event);
    expect(record.at).toBe(NOW.toISOString());
    expect(warning).toBe(`event u2: ${why}, using the time it was received`);
  });
});

describe('normalizeEvent: what it cannot read is stored as unparsed, never thrown', () => {
  it.each([
    ['null', null, 'not a LogEvent object (got null)'],
    ['an array', [decideEvent()], 'not a LogEvent object (got an array of 1)'],
    ['a string', '{"eventType":"x"}', 'not a LogEvent object (got string)'],
    ['a number', 42, 'not a LogEvent object (got number)'],
    ['undefined', undefined, 'not a LogEvent object (got undefined)'],
    ['an object without eventType', { uuid: 'u3', published: '2025-01-01T00:00:00Z' }, 'no eventType'],
    ['an object with a numeric eventType', { eventType: 7 }, 'no eventType'],
  ])('%s', (_, raw, problem) => {
    const { record, warning } = normalize(raw);
    expect(record.kind).toBe('unparsed');
    if (record.kind !== 'unparsed') return;
    expect(record.problem).toBe(problem);
    expect(record.raw).toStrictEqual(raw === undefined ? null : raw);
    expect(record.family).toBe('other');
    expect(warning).toBe(`unparsed Okta event ${record.id}: ${problem}`);
    expect(warning).not.toContain('\n');
  });

  it('keeps the published time and a stable id of an unparsed object', () => {
    const raw = { uuid: 'u3', published: '2025-01-01T00:00:00Z' };
    expect(normalize(raw).record).toMatchObject({ id: 'u3', at: '2025-01-01T00:00:00.000Z', type: 'unknown' });
    expect(normalize(null).record.id).toBe(normalize(null).record.id);
    expect(normalize(null).record.at).toBe(NOW.toISOString());
  });

  it('recognises a whole envelope passed by mistake', () => {
    const { record } = normalize(envelope([decideEvent()]));
    expect(record).toMatchObject({ kind: 'unparsed', problem: expect.stringContaining('event-hook envelope') });
  });

  it('turns a mapper error into unparsed, keeping the family', () => {
    const hostile = decideEvent();
    Object.defineProperty(hostile, 'target', { enumerable: true, get: () => { throw new Error('boom'); } });
    const { record, warning } = normalize(hostile);
    expect(record).toMatchObject({
      kind: 'unparsed',
      family: 'certification',
      type: 'certification.campaign.item.decide',
      problem: 'could not be mapped: boom',
    });
    expect(warning).toContain('could not be mapped: boom');
  });

  it('tolerates wrong shapes inside a known event', () => {
    const wrong = { actor: [1, 2], target: 'x', debugContext: 'y', client: 5, outcome: 'z', published: 17 };
    const { record } = normalize({ eventType: 'access.request.create', ...wrong });
    expect(record).toMatchObject({ kind: 'access_request', action: 'create' });
    expect(emptyPaths(record)).toEqual([]);
  });
});
