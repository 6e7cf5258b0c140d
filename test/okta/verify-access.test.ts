/**
 * Verify's reads against a fake Okta that pages like Okta (limit ≤ 200, `Link` next with `after`, 429 with
 * X-Rate-Limit-Reset): real HttpClient and undici, the real checks of src/followup/verify-access.ts. Whatever
 * is on page 2 counts; a list that cannot be read to its end is "could not tell", never "gone".
 */
import { pino } from 'pino';
import type { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAccess } from '../../src/followup/verify-access.ts';
import type { ManualTask } from '../../src/followup/task.ts';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient } from '../../src/http-client/http-client.ts';
import { adminOrigin } from '../../src/okta/admin-links.ts';
import { OktaApi } from '../../src/okta/okta-api.ts';
import { oktaConnection } from '../../src/okta/okta-auth.ts';
import { OktaReader, type OktaReaderOptions } from '../../src/okta/okta-reader.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';

let okta: FakeOkta;
let agent: Agent;

beforeEach(async () => {
  okta = await FakeOkta.start();
  agent = createHttpAgent({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
});
afterEach(async () => {
  await agent.destroy();
  await okta.close();
});

const USER = '00uJane';

function api(o: OktaReaderOptions = {}): OktaApi {
  const http = new HttpClient({ dispatcher: agent, maxAttempts: 2, baseDelayMs: 5, log: pino({ level: 'silent' }) });
  return new OktaApi(new OktaReader(oktaConnection({ orgUrl: okta.url, apiToken: okta.token }), http, o));
}

function task(resource: { id: string; name: string; type: string }): ManualTask {
  return {
    id: 'item:x', state: 'open', openedBy: 'e1', openedAt: '2026-11-01T09:00:00.000Z', updatedAt: '2026-11-01T09:00:00.000Z',
    principal: { id: USER, name: 'Jane Doe' }, resource, campaign: {},
  };
}

/** the user in `n` groups 00g0001…; returns the id of the `at`-th (1-based) */
function manyGroups(n: number, at: number): string {
  for (let i = 1; i <= n; i++) {
    const id = `00g${String(i).padStart(4, '0')}`;
    okta.addGroup(id, `Group ${i}`);
    okta.addMember(USER, id);
  }
  return `00g${String(at).padStart(4, '0')}`;
}

describe('Verify reads every page', () => {
  it('finds a membership on page 2 (250 groups, the revoked one the 231st): present, not gone', async () => {
    const revoked = manyGroups(250, 231);
    const check = await checkAccess(api(), task({ id: revoked, name: 'Group 231', type: 'GROUP' }));
    expect(check).toMatchObject({ access: 'present', cause: { kind: 'membership', via: { kind: 'direct', group: { id: revoked } } } });
    const pages = okta.apiQueries.filter((_, i) => okta.apiRequests[i] === `/api/v1/users/${USER}/groups`);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('limit=200');
    expect(pages[1]).toContain('after=');
  });

  it('says gone only after the last page', async () => {
    manyGroups(401, 1);
    const check = await checkAccess(api(), task({ id: '00gNotThere', name: 'Finance', type: 'GROUP' }));
    expect(check).toEqual({ access: 'gone' });
    expect(okta.apiRequests.filter((p) => p.endsWith('/groups'))).toHaveLength(3);
  });

  it('names a group rule on page 2 of the org\'s rules (the 211th), with its expression', async () => {
    okta.addGroup('00gFin', 'Finance Admins');
    okta.addMember(USER, '00gFin');
    for (let i = 1; i <= 210; i++) okta.addRule(`0pr${i}`, `Rule ${i}`, [`00gOther${i}`]);
    okta.addRule('0prInactive', 'Old finance rule', ['00gFin'], 'INACTIVE');
    okta.addRule('0pr211', 'Finance by department', ['00gFin'], 'ACTIVE', 'user.department == "Finance"');
    const check = await checkAccess(api(), task({ id: '00gFin', name: 'Finance Admins', type: 'GROUP' }));
    expect(check).toMatchObject({
      access: 'present',
      cause: { kind: 'membership', via: { kind: 'rule', rules: [{ id: '0pr211', name: 'Finance by department', expression: 'user.department == "Finance"' }] } },
    });
    expect(okta.apiRequests.filter((p) => p === '/api/v1/groups/rules')).toHaveLength(2);
  });

  it('reads the org\'s rules once for many checks (cached for a few minutes)', async () => {
    okta.addGroup('00gFin', 'Finance Admins');
    okta.addMember(USER, '00gFin');
    okta.addRule('0pr1', 'Finance by department', ['00gFin']);
    const shared = api();
    for (let i = 0; i < 5; i++) await checkAccess(shared, task({ id: '00gFin', name: 'Finance Admins', type: 'GROUP' }));
    expect(okta.apiRequests.filter((p) => p === '/api/v1/groups/rules')).toHaveLength(1);
  });

  it('names the group that carries a group-assigned app, found on page 2 of the app\'s groups', async () => {
    manyGroups(10, 1);
    for (let i = 1; i <= 300; i++) okta.assignAppToGroup('0oaSfdc', `00gApp${i}`);
    okta.addGroup('00gSales', 'Sales Team');
    okta.addMember(USER, '00gSales');
    okta.assignAppToGroup('0oaSfdc', '00gSales');
    okta.assignApp('0oaSfdc', USER, 'GROUP');
    okta.addApp('0oaSfdc', 'salesforce', 'Salesforce');
    const check = await checkAccess(api(), task({ id: '0oaSfdc', name: 'Salesforce', type: 'APPLICATION' }));
    expect(check).toMatchObject({
      access: 'present',
      cause: { kind: 'app_group', app: { id: '0oaSfdc', name: 'salesforce', label: 'Salesforce' }, via: [{ kind: 'direct', group: { id: '00gSales', name: 'Sales Team' } }] },
    });
    expect(okta.apiRequests.filter((p) => p === '/api/v1/apps/0oaSfdc/groups')).toHaveLength(2);
  });

  it('recognises an APP_GROUP and names the directory it is imported from', async () => {
    okta.addApp('0oaAD', 'active_directory', 'acme.local AD');
    okta.addGroup('00gAD', 'AD Finance', 'APP_GROUP', '0oaAD');
    okta.addMember(USER, '00gAD');
    const check = await checkAccess(api(), task({ id: '00gAD', name: 'AD Finance', type: 'GROUP' }));
    expect(check).toMatchObject({ access: 'present', cause: { kind: 'membership', via: { kind: 'imported', group: { type: 'APP_GROUP' }, source: { id: '0oaAD', label: 'acme.local AD' } } } });
  });

  it('a direct assignment carries the Identity Governance grants when the governance API answers', async () => {
    okta.assignApp('0oaSfdc', USER, 'USER');
    okta.addGrant('0oaSfdc', USER, 'POLICY', 'AUTO');
    const check = await checkAccess(api(), task({ id: '0oaSfdc', name: 'Salesforce', type: 'APPLICATION' }));
    expect(check).toMatchObject({ access: 'present', cause: { kind: 'app_direct' }, grants: [{ grantType: 'POLICY', grantMethod: 'AUTO' }] });
    expect(okta.apiQueries.find((q) => q.includes('filter='))).toContain(encodeURIComponent('parent.externalId eq "0oaSfdc"'));
  });

  it('a campaign\'s many checks of one app read its groups once, and a refused governance API once', async () => {
    okta.addGroup('00gSales', 'Sales Team');
    okta.assignAppToGroup('0oaSfdc', '00gSales');
    const shared = api();
    let governanceAsked = 0;
    okta.routes.set('GET /governance/api/v1/principal-access', (_req, res) => {
      governanceAsked++;
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}');
    });
    for (let i = 0; i < 4; i++) {
      const user = `00uUser${i}`;
      okta.addMember(user, '00gSales');
      okta.assignApp('0oaSfdc', user, 'GROUP');
      const t = { ...task({ id: '0oaSfdc', name: 'Salesforce', type: 'APPLICATION' }), principal: { id: user } };
      expect(await checkAccess(shared, t)).toMatchObject({ access: 'present', cause: { kind: 'app_group', via: [{ group: { id: '00gSales' } }] } });
    }
    expect(okta.apiRequests.filter((p) => p === '/api/v1/apps/0oaSfdc/groups')).toHaveLength(1);
    expect(okta.apiRequests.filter((p) => p === '/api/v1/groups/rules')).toHaveLength(1);
    expect(governanceAsked).toBe(1);
  });

  it('without the governance API (404/403) the answer is the same, with no grants', async () => {
    okta.assignApp('0oaSfdc', USER, 'USER');
    const check = await checkAccess(api(), task({ id: '0oaSfdc', name: 'Salesforce', type: 'APPLICATION' }));
    expect(check).toEqual({ access: 'present', cause: { kind: 'app_direct', app: { id: '0oaSfdc' } } });
  });
});

describe('names from the Okta API', () => {
  it('a group or rule name with CR/LF or a bidi override is one clean line in the cause (notes keep line breaks)', async () => {
    okta.addGroup('00gFin', 'Finance\r\n✅ Access removed \u202Eevil');
    okta.addMember(USER, '00gFin');
    okta.addRule('0prFin', 'Finance rule\nAccess approved', ['00gFin']);
    const check = await checkAccess(api(), task({ id: '00gFin', name: 'Finance', type: 'GROUP' }));
    expect(check).toMatchObject({
      access: 'present',
      cause: { kind: 'membership', via: { kind: 'rule', group: { name: 'Finance ✅ Access removed evil' }, rules: [{ name: 'Finance rule Access approved' }] } },
    });
    expect(JSON.stringify(check)).not.toMatch(/\\[rn]|\u202e/i);
  });
});

describe('a user deleted from Okta', () => {
  it('has none of its access: a group or an app is gone, and the answer says the user was deleted', async () => {
    okta.addGroup('00gFin', 'Finance');
    okta.addMember(USER, '00gFin');
    okta.assignApp('0oaSfdc', USER, 'USER');
    okta.deleteUser(USER);
    expect(await checkAccess(api(), task({ id: '00gFin', name: 'Finance', type: 'GROUP' }))).toEqual({ access: 'gone', userDeleted: true });
    expect(okta.apiRequests).toEqual([`/api/v1/users/${USER}/groups`, `/api/v1/users/${USER}`]);
    expect(await checkAccess(api(), task({ id: '0oaSfdc', name: 'Salesforce', type: 'APPLICATION' }))).toEqual({ access: 'gone', userDeleted: true });
  });

  it('a user who still exists and is not assigned the app is gone without that reason', async () => {
    expect(await checkAccess(api(), task({ id: '0oaSfdc', name: 'Salesforce', type: 'APPLICATION' }))).toEqual({ access: 'gone' });
  });

  it('a 404 for the groups of a user Okta still has (or cannot say) is "could not tell", never gone', async () => {
    okta.routes.set(`GET /api/v1/users/${USER}/groups`, (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errorCode":"E0000007","errorSummary":"Not found"}');
    });
    const check = await checkAccess(api(), task({ id: '00gFin', name: 'Finance', type: 'GROUP' }));
    expect(check).toMatchObject({ access: 'unknown', why: expect.stringContaining('Okta user groups') });

    okta.routes.set(`GET /api/v1/users/${USER}`, (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{}');
    });
    expect((await checkAccess(api(), task({ id: '00gFin', name: 'Finance', type: 'GROUP' }))).access).toBe('unknown');
  });
});

describe('could not tell', () => {
  it('a timeout on page 2 answers "could not tell", never gone', async () => {
    manyGroups(250, 1);
    okta.stall = (url) => url.pathname.endsWith('/groups') && url.searchParams.has('after');
    const check = await checkAccess(api(), task({ id: '00gNotThere', name: 'Finance', type: 'GROUP' }));
    expect(check.access).toBe('unknown');
    expect(check).toMatchObject({ why: expect.stringContaining('Okta user groups failed') });
    expect(JSON.stringify(check)).not.toContain(okta.token);
  });

  it('refuses a next link to another host (the credential stays in the org)', async () => {
    okta.routes.set('GET /api/v1/users/00uJane/groups', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: '<https://evil.example.com/api/v1/users/00uJane/groups?after=x>; rel="next"' });
      res.end('[]');
    });
    const check = await checkAccess(api(), task({ id: '00gFin', name: 'Finance', type: 'GROUP' }));
    expect(check).toEqual({ access: 'unknown', why: expect.stringContaining('another host (https://evil.example.com)') });
  });

  it('stops at a next link that repeats a page', async () => {
    okta.routes.set('GET /api/v1/users/00uJane/groups', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: `<${okta.url}${req.url}>; rel="next"` });
      res.end('[]');
    });
    const check = await checkAccess(api(), task({ id: '00gFin', name: 'Finance', type: 'GROUP' }));
    expect(check).toEqual({ access: 'unknown', why: expect.stringContaining('repeats an earlier page') });
  });
});

describe('rate limits', () => {
  it('waits until X-Rate-Limit-Reset when X-Rate-Limit-Remaining reaches 0, before the next call', async () => {
    manyGroups(250, 231);
    let clock = Date.parse('2026-11-01T09:00:00Z');
    const reset = Math.floor(clock / 1000) + 30;
    okta.rateLimit = { remaining: 0, reset };
    const waits: number[] = [];
    const reader = { now: () => clock, sleep: async (ms: number) => { waits.push(ms); clock += ms; } };
    const check = await checkAccess(api(reader), task({ id: '00g0231', name: 'Group 231', type: 'GROUP' }));
    expect(check.access).toBe('present');
    // page 2 waited for the reset (30 s and a little margin); the first call did not wait
    expect(waits[0]).toBeGreaterThanOrEqual(30_000);
    expect(waits[0]).toBeLessThan(31_000);
  });

  it('a pause longer than the limit answers "could not tell" instead of hanging', async () => {
    manyGroups(250, 231);
    okta.rateLimit = { remaining: 0, reset: Math.floor(Date.now() / 1000) + 3600 };
    const check = await checkAccess(api({ sleep: async () => undefined }), task({ id: '00g0231', name: 'Group 231', type: 'GROUP' }));
    expect(check).toEqual({ access: 'unknown', why: expect.stringContaining('rate limit is used up') });
  });

  it('a 429 with X-Rate-Limit-Reset is waited out and the page read again', async () => {
    manyGroups(250, 231);
    okta.stall = undefined;
    // the first directory read answers 429 (the fake's scripted answers go first)
    okta.script({ status: 429, headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) } });
    const check = await checkAccess(api(), task({ id: '00g0231', name: 'Group 231', type: 'GROUP' }));
    expect(check.access).toBe('present');
  });
});

describe('admin console links', () => {
  it('the admin host is the org host with -admin after the subdomain', () => {
    expect(adminOrigin('https://acme.okta.com')).toBe('https://acme-admin.okta.com');
    expect(adminOrigin('https://acme.oktapreview.com/')).toBe('https://acme-admin.oktapreview.com');
    expect(adminOrigin('https://acme-admin.okta.com')).toBe('https://acme-admin.okta.com');
    expect(adminOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });
});
