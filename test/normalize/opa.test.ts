/** src/normalize/opa.ts: OPA's System Log `pam.*` events become the same AsaRecord the ASA poller makes. */
import { describe, expect, it } from 'vitest';
import { auditTypeOf, isNotableAuditType } from '../../src/asa/notable-types.ts';
import { normalizeAsaEvent } from '../../src/normalize/asa.ts';
import { auditOrigin, sourceEventId } from '../../src/normalize/opa.ts';
import { familyOf, isPamEventType } from '../../src/okta/event-types.ts';
import { ADMIN, PRINCIPAL, pamEvent, party } from '../helpers/okta-events.ts';
import { emptyPaths, fixture, recordOf } from './support.ts';

describe('an OPA event from the System Log', () => {
  it("Okta's published sample (a workload) reads like an ASA event, its origin and ids kept", () => {
    const r = recordOf(fixture('pam.user_creds.issue.workload.json'), 'asa');
    const workload = 'opa://xyz/github-actions/repo:xyz%2Fokta-lab-workloads:ref:refs%2Fheads%2Fmain';
    expect(r).toMatchObject({
      id: 'ac4c47d3-6d74-11f1-b822-f5d0a6c662bd',
      type: 'pam.user_creds.issue',
      family: 'asa',
      at: '2026-06-21T13:25:29.746Z',
      outcome: 'SUCCESS',
      user: workload,
      server: 'opa-linux-target',
      project: 'web_servers',
      notable: true,
      text: `${workload} was issued credentials for opa-linux-target (project web_servers)`,
    });
    expect(r.details).toMatchObject({
      origin: 'OPA',
      actorType: 'WorkloadPrincipal',
      teamName: 'xyz',
      serverHostnames: 'opa-linux-target',
      servers: 'af1e2e28-1a72-454c-b15d-d6cbfe9a0064',
      mfaChallengeCompleted: 'false',
      client: 'WORKLOAD',
    });
    // a workload is no Okta user: nothing to match a person with
    expect(r.details?.oktaUserId).toBeUndefined();
    expect(r.details?.userAccessMethod).toBeUndefined();
    expect(emptyPaths(r)).toEqual([]);
    expect(auditOrigin(r)).toBe('OPA');
    expect(sourceEventId(r)).toBe('ac4c47d3-6d74-11f1-b822-f5d0a6c662bd');
  });

  it('a person: user is the Okta login, the Okta user id is kept', () => {
    const r = recordOf(fixture('pam.user_creds.issue.user.json'), 'asa');
    expect(r.user).toBe('jane.doe@example.com');
    expect(r.actor).toEqual({ id: '00u1jnd2JaneDoe00d7', name: 'Jane Doe', login: 'jane.doe@example.com' });
    expect(r.details).toMatchObject({ oktaUserId: '00u1jnd2JaneDoe00d7', actorType: 'User', mfaChallengeCompleted: 'true' });
    expect(r.text).toBe('Jane Doe (jane.doe@example.com) was issued credentials for opa-linux-target (project web_servers)');
  });

  it('a secret reveal names the secret by its path; a Resource Group is not a group of people', () => {
    const r = recordOf(fixture('pam.secret.reveal.user.json'), 'asa');
    expect(r).toMatchObject({ type: 'pam.secret.reveal', user: 'jane.doe@example.com', project: 'secrets', notable: true });
    expect(r.text).toBe('Jane Doe (jane.doe@example.com) revealed secret /production_server_secrets/MySql_root');
    expect(r.details).toMatchObject({ resourceGroup: 'production_servers', secret: '/production_server_secrets/MySql_root' });
    expect(r.details?.groups).toBeUndefined();
    expect(r.server).toBeUndefined();
  });

  it('names the groups the event names, comma-separated', () => {
    const r = recordOf(pamEvent('server.ssh_login', { groups: ['Finance Admins', 'sre'], servers: ['db-01', 'db-02'] }), 'asa');
    expect(r.details?.groups).toBe('Finance Admins, sre');
    expect(r.server).toBe('db-01');
    expect(r.details?.serverHostnames).toBe('db-01, db-02');
    expect(r.text).toBe('Jane Doe (jane.doe@example.com) logged in to db-01, db-02 (project prod)');
    const fromData = recordOf(pamEvent('user_creds.issue', { debugData: { groups: 'ops, oncall' } }), 'asa');
    expect(fromData.details?.groups).toBe('ops, oncall');
  });

  it('a server named only by a Server target; a checkout names its account', () => {
    const login = recordOf(pamEvent('server.ssh_login', { servers: [], extraTargets: [party({ id: 'srv1', name: 'web-07' }, 'Server')] }), 'asa');
    expect(login.server).toBe('web-07');
    const checkout = recordOf(pamEvent('resource.checkout', { servers: [], extraTargets: [party({ id: 'sa1', name: 'svc-deploy' }, 'Service Account')] }), 'asa');
    expect(checkout).toMatchObject({ notable: true, text: 'Jane Doe (jane.doe@example.com) checked out svc-deploy' });
    expect(checkout.details?.account).toBe('svc-deploy');
  });

  it('routine and admin types: stored, carded only when notable, worded from Okta’s message', () => {
    const token = recordOf(pamEvent('auth_token.issue'), 'asa');
    expect(token.notable).toBeUndefined();
    const admin = recordOf(pamEvent('project.update', { actor: ADMIN, servers: [], displayMessage: '(PAM) Update project' }), 'asa');
    expect(admin).toMatchObject({ user: ADMIN.login, text: `Ada Admin (${ADMIN.login}): (PAM) Update project` });
    expect(admin.notable).toBeUndefined();
    expect(recordOf(pamEvent('member.add', { actor: ADMIN }), 'asa').notable).toBe(true);
  });

  it('keeps what debugData says, within bounds', () => {
    const long = 'x'.repeat(2000);
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, `v${i}`]));
    const r = recordOf(pamEvent('user_creds.issue', { debugData: { note: long, ...many } }), 'asa');
    expect(r.details?.note).toHaveLength(300);
    expect(Object.keys(r.details ?? {}).length).toBeLessThan(40);
  });

  it('an actor with nothing in it still gives a record', () => {
    const raw = pamEvent('server.ssh_login', { actor: { id: undefined, type: 'User' } });
    const r = recordOf({ ...raw, actor: null }, 'asa');
    expect(r.user).toBeUndefined();
    expect(r.text).toBe('someone logged in to web-01 (project prod)');
    expect(emptyPaths(r)).toEqual([]);
  });
});

describe('ASA and OPA read alike', () => {
  it('the same audit type words the same sentence and is notable the same way', () => {
    const opa = recordOf(pamEvent('server.ssh_login', { actor: { ...PRINCIPAL, name: undefined } }), 'asa');
    const related = {
      u: { type: 'user', object: { name: 'jane.doe@example.com' } },
      s: { type: 'server', object: { hostname: 'web-01', project_name: 'prod' } },
    };
    const { record: asa } = normalizeAsaEvent({ id: 'a1', timestamp: '2026-06-21T13:25:29Z', details: { type: 'server.ssh_login', actor: 'u', server: 's' } }, related, { notableTypes: new Set(['server.ssh_login']) });
    expect(asa.kind === 'asa' && asa.text).toBe(opa.text);
    expect(asa.kind === 'asa' && [asa.user, asa.server, asa.project]).toEqual([opa.user, opa.server, opa.project]);
    expect(asa.kind === 'asa' && auditOrigin(asa)).toBe('ASA');
    expect(asa.kind === 'asa' && sourceEventId(asa)).toBe('a1');
  });

  it('pam.* is the asa family, by prefix; nothing else is', () => {
    expect(familyOf('pam.workload_role.create')).toBe('asa');
    expect(isPamEventType('pam.')).toBe(false);
    expect(familyOf('pamela.session.start')).toBe('other');
    expect(auditTypeOf('pam.server.ssh_login')).toBe('server.ssh_login');
    expect(isNotableAuditType('pam.server.ssh_login')).toBe(true);
    expect(isNotableAuditType('server.ssh_login')).toBe(true);
    expect(isNotableAuditType('pam.auth_token.issue')).toBe(false);
  });
});
