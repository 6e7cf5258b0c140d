import { describe, expect, it } from 'vitest';
import { buildAccessRequestCard, isRequestLifecycle } from '../../src/cards/access-request-card.ts';
import type { Card } from '../../src/cards/card.ts';
import { accessRequest, alice, rita, svcWorkflows } from '../helpers/records.ts';

const factOf = (card: Card, label: string) => card.facts.find((f) => f.label === label)?.value;
const history = (card: Card) => card.notes?.[0]?.split('\n').slice(1) ?? [];

const create = accessRequest('create', { at: '2024-05-03T10:00:00Z', actor: alice, requester: alice });
const resolve = accessRequest('resolve', {
  at: '2024-05-03T12:05:00Z', actor: rita, subject: 'Salesforce access for Bob Builder',
  requester: undefined, requestedFor: undefined, resource: undefined,
});

describe('buildAccessRequestCard', () => {
  it('opens with the subject, requester, requested-for, resource and creation time', () => {
    const card = buildAccessRequestCard(create, []);
    expect(card).toMatchObject({
      kind: 'access_request',
      family: 'ACCESS_REQUEST',
      severity: 'info',
      title: 'Access request: Salesforce access for Bob Builder',
      key: 'request:REQ1',
      eventIds: ['req-REQ1-create'],
    });
    expect(card.facts).toEqual([
      { label: 'State', value: 'Open' },
      { label: 'Requested by', value: 'Alice Example (alice@example.com)' },
      { label: 'Requested for', value: 'Bob Builder (bob@example.com)' },
      { label: 'Resource', value: 'Salesforce (APPLICATION)' },
      { label: 'Created at', value: '2024-05-03 10:00:00 UTC' },
      { label: 'Request id', value: 'REQ1' },
    ]);
    expect(history(card)).toEqual(['2024-05-03 10:00:00 UTC · Created by Alice Example']);
  });

  it('moves to resolved under the same key, keeping facts only the create event had', () => {
    const card = buildAccessRequestCard(resolve, [create]);
    expect(card.key).toBe('request:REQ1');
    expect(card.severity).toBe('success');
    expect(factOf(card, 'State')).toBe('Resolved (approved)');
    expect(factOf(card, 'Requested by')).toBe('Alice Example (alice@example.com)');
    expect(factOf(card, 'Took')).toBe('2h 5m');
    expect(history(card)).toEqual([
      '2024-05-03 10:00:00 UTC · Created by Alice Example',
      '2024-05-03 12:05:00 UTC · Resolved by Rita Reviewer',
    ]);
    expect(card.eventIds).toEqual(['req-REQ1-create', 'req-REQ1-resolve']);
    expect(card.at).toBe('2024-05-03T12:05:00Z');
  });

  it('counts the new record once whether or not the store already has it', () => {
    const without = buildAccessRequestCard(resolve, [create]);
    const withIt = buildAccessRequestCard(resolve, [create, resolve]);
    expect(withIt).toEqual(without);
    expect(history(withIt)).toHaveLength(2);
  });

  it('orders steps by time when delivery was out of order', () => {
    const card = buildAccessRequestCard(create, [resolve]);
    expect(factOf(card, 'State')).toBe('Resolved (approved)');
    expect(card.eventIds).toEqual(['req-REQ1-create', 'req-REQ1-resolve']);
  });

  it.each([
    ['reject', 'Rejected', 'danger'],
    ['cancel', 'Canceled', 'info'],
    ['expire', 'Expired', 'warning'],
  ])('%s → %s', (action, state, severity) => {
    const card = buildAccessRequestCard(accessRequest(action, { at: '2024-05-04T10:00:00Z' }), [create]);
    expect(factOf(card, 'State')).toBe(state);
    expect(card.severity).toBe(severity);
  });

  it('keeps the state on update', () => {
    const update = accessRequest('update', { at: '2024-05-03T11:00:00Z', actor: svcWorkflows, wf: { owner: svcWorkflows } });
    expect(factOf(buildAccessRequestCard(update, [create]), 'State')).toBe('Open');
    const late = accessRequest('update', { at: '2024-05-03T13:00:00Z' });
    const card = buildAccessRequestCard(late, [create, update, resolve]);
    expect(factOf(card, 'State')).toBe('Resolved (approved)');
    expect(history(card)[1]).toBe('2024-05-03 11:00:00 UTC · Updated by Workflows Service (via Okta Workflows)');
  });

  it('leaves configuration events out of the history', () => {
    const condition = accessRequest('condition.update', { at: '2024-05-03T11:00:00Z' });
    expect(buildAccessRequestCard(resolve, [create, condition]).eventIds).toEqual(['req-REQ1-create', 'req-REQ1-resolve']);
    expect(isRequestLifecycle('condition.update')).toBe(false);
    expect(isRequestLifecycle('settings.update')).toBe(false);
    expect(isRequestLifecycle('resolve')).toBe(true);
  });

  it('does not invent a creation time when the create event was never seen', () => {
    const card = buildAccessRequestCard(resolve, []);
    expect(factOf(card, 'Created at')).toBeUndefined();
    expect(factOf(card, 'Took')).toBeUndefined();
    expect(factOf(card, 'State')).toBe('Resolved (approved)');
  });

  it('shows only the latest 20 steps of a long history', () => {
    const updates = Array.from({ length: 30 }, (_, i) =>
      accessRequest('update', { id: `u${i}`, at: new Date(Date.UTC(2024, 4, 3, 11, i)).toISOString() }));
    const lines = history(buildAccessRequestCard(resolve, [create, ...updates]));
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('… 12 earlier step(s)');
    expect(lines.at(-1)).toMatch(/Resolved/);
  });

  it('has no key when Okta did not say which request it is', () => {
    const card = buildAccessRequestCard(accessRequest('create', { request: undefined, subject: undefined }), []);
    expect(card.key).toBeUndefined();
    expect(card.title).toBe('Access request: unknown');
  });
});
