import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTABLE_ASA_TYPES } from '../../src/asa/notable-types.ts';
import type { AsaRecord } from '../../src/domain/records.ts';
import { normalizeAsaEvent } from '../../src/normalize/asa.ts';
import { emptyPaths } from './support.ts';

const NOW = new Date('2025-08-01T12:00:00.000Z');
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/asa/${name}`, import.meta.url), 'utf8')) as unknown;
const docs = fixture('asa-auditsV2-list-docs-example.json') as { list: unknown[]; related_objects: Record<string, unknown> };
const listOf = (name: string) => (fixture(name) as { list: Array<Record<string, unknown>> }).list;
const opts = { notableTypes: new Set(DEFAULT_NOTABLE_ASA_TYPES), now: () => NOW };

function asa(event: unknown, related: unknown = {}): AsaRecord {
  const { record } = normalizeAsaEvent(event, related, opts);
  expect(record.kind).toBe('asa');
  return record as AsaRecord;
}

// keys shaped like ASA's (base64 SHA-256) for the documented object bodies
const K = {
  jason: 'FWUysQmguH4ns9NT1Uszl5j2a1t9SK2lYNACeu03uBs=',
  laptop: 'WvajuG7IeAjPYPdzN0zJTSmujqXLpYd90s4haNXLzRA=',
  harvard: 'k2y4RDVf0zOz7ZjmDOX1jNPNkRFuVv9Hj4bVCx0Kjvw=',
  jefferson: 'cVQd5W0c2pQxGZbO1F9yR4l1x3mWqzY0aE9bT7uK2sE=',
  compsons: 'Gq0kS8s2rKq9n3hHc6uVYQpW1tN7mZx5bA4dE2fR8yI=',
  project: 'pR0j3cTk3yAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  gateway: 'gAt3w4yK3yAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  missing: 'bWlzc2luZ0tleU5vdEluUmVsYXRlZE9iamVjdHMwMDA=',
};
const users = listOf('asa-users-list-docs-example.json');
const servers = listOf('asa-servers-list-docs-example.json');
const related = {
  ...docs.related_objects,
  [K.harvard]: { type: 'server', object: servers[0] },
  [K.jefferson]: { type: 'server', object: servers[1] },
  [K.compsons]: { type: 'group', object: listOf('asa-groups-list-docs-example.json')[0] },
  [K.project]: { type: 'project', object: listOf('asa-projects-list-docs-example.json')[0] },
  [K.gateway]: { type: 'gateway', object: { id: 'a1b2', name: 'gw-east', deleted_at: null } },
  'benjy-key': { type: 'user', object: users[1] },
};
const event = (details: Record<string, unknown>, id = 'UD5pqjIhjKVQPmmqMiGMpQ==') => ({ id, timestamp: '2020-11-18T18:05:08.277119888Z', details });

describe('normalizeAsaEvent: the documented auditsV2 body', () => {
  it('resolves the actor and the client from related_objects', () => {
    const r = asa(docs.list[0], docs.related_objects);
    expect(r).toEqual({
      id: 'asa:UD5pqjIhjKVQPmmqMiGMpQ==',
      type: 'auth_token.issue',
      family: 'asa',
      at: '2020-11-18T18:05:08.277Z',
      src: 'asa',
      kind: 'asa',
      text: 'Jason.Compson.IV (status ACTIVE) was issued an auth token on client Absalom',
      user: 'Jason.Compson.IV',
      details: { actor: 'Jason.Compson.IV', client: 'Absalom', session_type: 'authenticated_client', team_name: 'william-faulkner', trace_id: 'YqabgEzI' },
    });
    // auth_token.issue happens at every client sign-in: stored, not posted
    expect(r.notable).toBeUndefined();
    expect(emptyPaths(r)).toEqual([]);
  });
});

describe('normalizeAsaEvent: related-object resolution', () => {
  it.each([
    [
      'a login to a server, with its project',
      { type: 'server.ssh_login', actor: K.jason, target_server: K.harvard },
      { text: 'Jason.Compson.IV (status ACTIVE) logged in to harvard (project the-sound-and-the-fury)', user: 'Jason.Compson.IV', server: 'harvard', project: 'the-sound-and-the-fury', notable: true },
    ],
    [
      'credentials for a server, a user with another status',
      { type: 'user_creds.issue', actor: 'benjy-key', server: K.jefferson },
      { text: 'Benjy.Compson (status DISABLED) was issued credentials for jefferson (project the-sound-and-the-fury)', user: 'Benjy.Compson', server: 'jefferson', notable: true },
    ],
    [
      'an array of keys',
      { type: 'user_creds.issue', actor: K.jason, servers: [K.harvard, K.jefferson] },
      { text: 'Jason.Compson.IV (status ACTIVE) was issued credentials for harvard (project the-sound-and-the-fury)', server: 'harvard', details: { actor: 'Jason.Compson.IV', servers: 'harvard, jefferson' } },
    ],
    [
      'a missing actor key',
      { type: 'server.ssh_login', actor: K.missing, target_server: K.harvard },
      { text: 'an unknown user logged in to harvard (project the-sound-and-the-fury)', details: { actor: K.missing, target_server: 'harvard' } },
    ],
    [
      'a missing server key',
      { type: 'user_creds.issue', actor: K.jason, target_server: K.missing },
      { text: 'Jason.Compson.IV (status ACTIVE) was issued credentials for an unknown server', user: 'Jason.Compson.IV' },
    ],
    [
      'an array mixing a key, a missing key and a literal',
      { type: 'member.add', actor: K.jason, group: K.compsons, users: ['benjy-key', K.missing, 'quentin'] },
      { text: 'Jason.Compson.IV (status ACTIVE): member.add (group compsons, Benjy.Compson (status DISABLED))', details: { actor: 'Jason.Compson.IV', group: 'compsons', users: `Benjy.Compson, ${K.missing}, quentin` }, notable: true },
    ],
    [
      'a gateway and a project',
      { type: 'gateway_creds.issue', gateway: K.gateway, target_server: K.harvard, project: K.project },
      { text: 'gateway gw-east was issued credentials for harvard (project the-sound-and-the-fury)', server: 'harvard', project: 'the-sound-and-the-fury' },
    ],
    [
      'a type without wording, literals of every kind',
      { type: 'team_settings.update', actor: K.jason, count: 3, enabled: false, via: null, empty: '', nested: { a: 1 }, none: {} },
      { text: 'Jason.Compson.IV (status ACTIVE): team_settings.update', details: { actor: 'Jason.Compson.IV', count: '3', enabled: 'false', nested: '{"a":1}' } },
    ],
    ['no actor at all', { type: 'server.enroll', target_server: K.jefferson }, { text: 'server jefferson (project the-sound-and-the-fury) enrolled' }],
    ['nothing resolvable', { type: 'client.enroll' }, { text: 'ASA: client.enroll' }],
  ])('%s', (_name, details, expected) => {
    const r = asa(event(details), related);
    expect(r).toMatchObject(expected);
    expect(emptyPaths(r)).toEqual([]);
  });

  it('does not resolve inherited keys of related_objects ("constructor", "__proto__")', () => {
    const r = asa(event({ type: 'server.ssh_login', actor: 'constructor', target_server: '__proto__' }), related);
    expect(r.details).toEqual({ actor: 'constructor', target_server: '__proto__' });
    expect(r.user).toBeUndefined();
  });

  it('reads related objects that are malformed as missing', () => {
    const r = asa(event({ type: 'server.ssh_login', actor: 'a', target_server: 'b' }), { a: { type: 'user' }, b: 'server', c: null });
    expect(r.text).toBe('ASA: server.ssh_login');
    expect(r.details).toEqual({ actor: 'a', target_server: 'b' });
  });

  it('clips very long literals', () => {
    const r = asa(event({ type: 'x', note: 'n'.repeat(2000) }));
    expect(r.details?.note).toHaveLength(500);
  });
});

describe('normalizeAsaEvent: odd shapes', () => {
  it('marks only the configured notable types', () => {
    const { record } = normalizeAsaEvent(event({ type: 'server.ssh_login' }), {}, { notableTypes: new Set(['user.create']), now: () => NOW });
    expect((record as AsaRecord).notable).toBeUndefined();
  });

  it('gives an event without an id a stable id, so a re-read page stores it once', () => {
    const e = { timestamp: '2021-01-01T00:00:00Z', details: { type: 'user.create' } };
    const a = asa(e).id;
    expect(a).toMatch(/^asa:sha256:[0-9a-f]{64}$/);
    expect(asa({ details: { type: 'user.create' }, timestamp: '2021-01-01T00:00:00Z' }).id).toBe(a);
  });

  it('uses the poll time for a missing or unreadable timestamp, and says so', () => {
    const { record, warning } = normalizeAsaEvent({ id: 'x1', timestamp: 'yesterday', details: { type: 'user.create' } }, {}, opts);
    expect(record.at).toBe(NOW.toISOString());
    expect(warning).toBe('ASA event asa:x1 has no readable timestamp; the poll time stands in');
  });

  it('keeps an entry that is not an object, raw', () => {
    for (const raw of ['oops', 42, null, [1, 2]]) {
      const { record, warning } = normalizeAsaEvent(raw, {}, opts);
      expect(record).toMatchObject({ kind: 'unparsed', family: 'asa', src: 'asa', type: 'unknown', problem: 'an auditsV2 list entry that is not an object' });
      expect(record.id).toMatch(/^asa:sha256:/);
      expect(warning).toContain('stored raw');
      expect(emptyPaths(record)).toEqual([]);
    }
  });

  it('reads an event without details as type unknown', () => {
    expect(asa({ id: 'y' })).toMatchObject({ id: 'asa:y', type: 'unknown', text: 'ASA: unknown', at: NOW.toISOString() });
  });
});

describe('the default notable ASA types', () => {
  it("are all real ASA audit types (Okta's event type catalog, without the pam. prefix)", () => {
    const catalog = fixture('okta-eventtypes-category-asa.json') as { eventTypes: Array<{ eventType: string }> };
    const known = new Set(catalog.eventTypes.map((t) => t.eventType.replace(/^pam\./, '')));
    expect(DEFAULT_NOTABLE_ASA_TYPES.filter((t) => !known.has(t))).toEqual([]);
    expect(DEFAULT_NOTABLE_ASA_TYPES).toEqual(expect.arrayContaining(['user_creds.issue', 'server.ssh_login', 'permission.change']));
  });
});
