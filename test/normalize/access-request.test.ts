import { describe, expect, it } from 'vitest';
import { ACCESS_REQUEST_EVENT_TYPES } from '../../src/okta/event-types.ts';
import { accessRequestEvent, APP, logEvent, PRINCIPAL, REVIEWER } from '../helpers/okta-events.ts';
import { fixture, recordOf } from './support.ts';

describe('normalizeAccessRequest', () => {
  it('reads every SPEC §4 field of access.request.create', () => {
    const r = recordOf(fixture('access.request.create.json'), 'access_request');
    expect(r).toStrictEqual({
      id: '6f1c2a10-55b1-11f0-9b1e-0d3f1a7c0031',
      type: 'access.request.create',
      family: 'access_request',
      kind: 'access_request',
      action: 'create',
      at: '2025-07-01T10:15:00.000Z',
      src: 'hook',
      actor: { id: PRINCIPAL.id, name: 'Jane Doe', login: 'jane.doe@example.com' },
      outcome: 'SUCCESS',
      msg: 'Access request create',
      request: 'req1acc2Request01d7',
      subject: 'Jane Doe requests Salesforce (Sales User) for the Q3 pipeline review',
      requester: { id: PRINCIPAL.id, name: 'Jane Doe', login: 'jane.doe@example.com' },
      requestedFor: { id: PRINCIPAL.id, name: 'Jane Doe', login: 'jane.doe@example.com' },
      resource: { id: APP.id, name: 'Salesforce', type: 'APPLICATION' },
      scope: { id: 'enb1sal2SalesUser0d7', type: 'ENTITLEMENT_BUNDLE' },
    });
  });

  it('keeps the same request id and subject across the lifecycle', () => {
    const create = recordOf(fixture('access.request.create.json'), 'access_request');
    const resolve = recordOf(fixture('access.request.resolve.json'), 'access_request');
    expect(resolve.action).toBe('resolve');
    expect(resolve.request).toBe(create.request);
    expect(resolve.subject).toBe(create.subject);
    expect(resolve.actor?.id).toBe(REVIEWER.id);
  });

  it('reads a rejected group request', () => {
    const r = recordOf(fixture('access.request.reject.json'), 'access_request');
    expect(r).toMatchObject({
      action: 'reject',
      subject: 'Jane Doe requests Finance Admins',
      resource: { type: 'GROUP', name: 'Finance Admins' },
    });
  });

  it('names a requester for someone else from their User targets', () => {
    const boss = { id: '00u1bos2Boss00000d7', name: 'Bo Boss', login: 'bo.boss@example.com' };
    const r = recordOf(accessRequestEvent('create', { requester: boss, requestedFor: PRINCIPAL }), 'access_request');
    expect(r.requester).toEqual(boss);
    expect(r.requestedFor).toEqual(PRINCIPAL);
  });

  it.each(ACCESS_REQUEST_EVENT_TYPES.map((t) => [t, t.slice('access.request.'.length)]))('%s → action %s', (type, action) => {
    expect(recordOf(accessRequestEvent(action), 'access_request').action).toBe(action);
  });

  it('leaves out what a configuration event does not carry', () => {
    const r = recordOf(accessRequestEvent('condition.create'), 'access_request');
    expect(r.request).toBeUndefined();
    expect(r.subject).toBeUndefined();
    expect('requester' in r).toBe(false);
    expect('scope' in r).toBe(false);
  });

  it('keeps bare ids when nothing names them', () => {
    const debugData = { accessRequestId: 'r1', requesterId: '00uX' };
    const event = logEvent({ eventType: 'access.request.expire', target: [], debugContext: { debugData } });
    expect(recordOf(event, 'access_request')).toMatchObject({ action: 'expire', request: 'r1', requester: { id: '00uX' } });
  });
});
