import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { serviceAppKey } from '../helpers/fake-okta-oauth.ts';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/bot');

function errorOf(env: Record<string, string>): string {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives local mode defaults with no variables at all', () => {
    const c = load({});
    expect(c).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: '/srv/bot/data', retentionDays: 400, allowedUsers: [] });
    expect(c.hook).toEqual({ secret: undefined, authHeader: 'authorization' });
    expect(c.reminderCron).toBe('0 9 * * 1-5');
    expect(c.slack ?? c.teams ?? c.asa ?? c.okta).toBeUndefined();
  });

  it('reads every optional part when set', () => {
    const c = load({
      PORT: '8080',
      DATA_DIR: '/var/lib/oig',
      OKTA_HOOK_SECRET: 'a-long-enough-secret-value',
      OKTA_HOOK_AUTH_HEADER: 'X-Okta-Secret',
      OKTA_ORG_URL: 'https://acme.okta.com/',
      OKTA_API_TOKEN: '00abc',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'sign',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SLACK_CHANNEL: 'C0123456',
      SLACK_CHANNEL_MANUAL: 'C0MANUAL1',
      OIG_ALLOWED_USERS: 'U123, Alice@Example.com ,',
      ASA_TEAM: 'acme',
      ASA_KEY_ID: 'kid',
      ASA_KEY_SECRET: 'ks',
      ASA_POLL_CRON: '*/30 * * * * *',
      ASA_PAGE_SIZE: '1000',
      RETENTION_DAYS: '30',
    });
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('/var/lib/oig');
    expect(c.hook).toEqual({ secret: 'a-long-enough-secret-value', authHeader: 'x-okta-secret' });
    expect(c.okta).toEqual({ orgUrl: 'https://acme.okta.com', apiToken: '00abc' });
    expect(c.slack?.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.slack?.channels).toMatchObject({ CERTIFICATION: 'C0123456', MANUAL: 'C0MANUAL1', ASA: 'C0123456' });
    expect(c.allowedUsers).toEqual(['u123', 'alice@example.com']);
    expect(c.asa).toMatchObject({ team: 'acme', baseUrl: 'https://app.scaleft.com', pageSize: 1000, pollCron: '*/30 * * * * *' });
    expect(c.retentionDays).toBe(30);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: must be a whole number from 0 to 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ RETENTION_DAYS: '0' }, /^RETENTION_DAYS: /],
    [{ OKTA_HOOK_SECRET: 'short' }, /^OKTA_HOOK_SECRET: is too short \(5 characters, need at least 16\)$/],
    [{ OKTA_HOOK_AUTH_HEADER: 'bad header' }, /^OKTA_HOOK_AUTH_HEADER: /],
    [{ OKTA_ORG_URL: 'https://acme.okta.com' }, /^OKTA_API_TOKEN: must be set too, because OKTA_ORG_URL is set \(or use an OAuth service app: OKTA_CLIENT_ID and OKTA_PRIVATE_KEY\)$/],
    [{ OKTA_ORG_URL: 'http://acme.okta.com', OKTA_API_TOKEN: 'x' }, /^OKTA_ORG_URL: must be an https:\/\/ URL/],
    [{ OKTA_ORG_URL: 'not a url', OKTA_API_TOKEN: 'x' }, /^OKTA_ORG_URL: is not a URL/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET: must be set for Slack over HTTP/],
    [{ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN: must be a bot token/],
    [{ SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN: must be set too/],
    [{ SLACK_CHANNEL_ASA: 'general' }, /^SLACK_CHANNEL_ASA: must be a Slack channel id/],
    [{ TEAMS_APP_ID: 'id' }, /^TEAMS_APP_PASSWORD: must be set too/],
    [{ TEAMS_DEV_NO_AUTH: 'yes' }, /^TEAMS_DEV_NO_AUTH: must be 1 or 0/],
    [{ ASA_TEAM: 'acme', ASA_KEY_ID: 'k' }, /^ASA_KEY_SECRET: must be set too/],
    [{ ASA_PAGE_SIZE: '1001' }, /^ASA_PAGE_SIZE: must be a whole number from 1 to 1000/],
    [{ ASA_POLL_CRON: 'every minute' }, /^ASA_POLL_CRON: is not a valid cron expression/],
    [{ REMINDER_CRON: '61 * * * *' }, /^REMINDER_CRON: /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const text = errorOf(env);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('never echoes a secret in an error', () => {
    expect(errorOf({ OKTA_HOOK_SECRET: 'tiny-secret' })).not.toContain('tiny-secret');
  });

  it('accepts Socket Mode without a signing secret', () => {
    expect(load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.appToken).toBe('xapp-1');
  });

  it('allows Teams without auth only as an explicit local testing switch', () => {
    expect(load({ TEAMS_DEV_NO_AUTH: '1' }).teams).toEqual({ devNoAuth: true });
  });
});

describe('issue 12 settings', () => {
  it('VERIFY_AFTER defaults to 24 h and 7 days, takes a list, and "off"', () => {
    expect(loadConfig({}).verifyAfterMs).toEqual([86_400_000, 7 * 86_400_000]);
    expect(loadConfig({ VERIFY_AFTER: '7d, 2h' }).verifyAfterMs).toEqual([7_200_000, 7 * 86_400_000]);
    expect(loadConfig({ VERIFY_AFTER: 'off' }).verifyAfterMs).toEqual([]);
    expect(() => loadConfig({ VERIFY_AFTER: '24 hours' })).toThrow(/^VERIFY_AFTER: must be delays like "24h,7d"/);
    expect(() => loadConfig({ VERIFY_AFTER: '0h' })).toThrow(/^VERIFY_AFTER: /);
  });

  it('OKTA_SYSTEM_LOG_PAM needs the Okta API', () => {
    expect(loadConfig({}).systemLogPam).toBe(false);
    expect(() => loadConfig({ OKTA_SYSTEM_LOG_PAM: '1' })).toThrow(/^OKTA_SYSTEM_LOG_PAM: needs the Okta API/);
    expect(loadConfig({ OKTA_SYSTEM_LOG_PAM: '1', OKTA_ORG_URL: 'https://acme.okta.com', OKTA_API_TOKEN: '00abc' }).systemLogPam).toBe(true);
  });

  it('ASA_USER_MAP reads pairs, lower-cases the Okta side, and refuses nonsense', () => {
    expect(loadConfig({ ASA_USER_MAP: 'Alice@Acme.com=alice_admin, 00u123=bob' }).asaUserMap).toEqual({ 'alice@acme.com': 'alice_admin', '00u123': 'bob' });
    expect(() => loadConfig({ ASA_USER_MAP: 'alice' })).toThrow(/^ASA_USER_MAP: must be pairs/);
    expect(() => loadConfig({ ASA_USER_MAP: '@/nonexistent/map.txt' })).toThrow(/^ASA_USER_MAP: cannot read \/nonexistent\/map.txt \(ENOENT\)/);
  });
});

describe('Okta OAuth service app (OKTA_CLIENT_ID, OKTA_PRIVATE_KEY, OKTA_PRIVATE_KEY_ID)', () => {
  const rsa = serviceAppKey('rsa', 'kid-rsa');
  const ec = serviceAppKey('ec256', 'kid-ec');
  const ORG = { OKTA_ORG_URL: 'https://acme.okta.com/' };
  const oauth = (extra: Record<string, string> = {}) => ({ ...ORG, OKTA_CLIENT_ID: '0oaApp1', OKTA_PRIVATE_KEY: rsa.privatePem, OKTA_PRIVATE_KEY_ID: 'kid-rsa', ...extra });
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'oig-key-'));
    await writeFile(path.join(dir, 'key.pem'), ec.privatePem);
    await writeFile(path.join(dir, 'key.json'), JSON.stringify(ec.privateJwk));
    await writeFile(path.join(dir, 'locked.pem'), rsa.privatePem);
    await chmod(path.join(dir, 'locked.pem'), 0o000);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the org, the client id, the parsed key and its key id; no API token', () => {
    const c = load(oauth());
    expect(c.okta).toMatchObject({ orgUrl: 'https://acme.okta.com', oauth: { clientId: '0oaApp1', keyId: 'kid-rsa', privateKey: { alg: 'RS256' } } });
    expect(c.okta!.apiToken).toBeUndefined();
    expect(c.okta!.oauth!.privateKey.key.type).toBe('private');
  });

  it('reads the key from @/path/to/file, PEM or JWK; a JWK\'s kid stands in for OKTA_PRIVATE_KEY_ID', () => {
    expect(load(oauth({ OKTA_PRIVATE_KEY: `@${path.join(dir, 'key.pem')}`, OKTA_PRIVATE_KEY_ID: 'k9' })).okta!.oauth).toMatchObject({ keyId: 'k9', privateKey: { alg: 'ES256' } });
    const jwk = load(oauth({ OKTA_PRIVATE_KEY: `@${path.join(dir, 'key.json')}`, OKTA_PRIVATE_KEY_ID: '' }));
    expect(jwk.okta!.oauth!.keyId).toBe('kid-ec');
    expect(load(oauth({ OKTA_PRIVATE_KEY: JSON.stringify(ec.privateJwk), OKTA_PRIVATE_KEY_ID: 'kid-ec' })).okta!.oauth!.keyId).toBe('kid-ec');
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['both credentials', { OKTA_API_TOKEN: '00abc' }, /^OKTA_API_TOKEN: cannot be used together with OKTA_CLIENT_ID and OKTA_PRIVATE_KEY and OKTA_PRIVATE_KEY_ID: choose one Okta credential/],
    ['no key', { OKTA_PRIVATE_KEY: '' }, /^OKTA_PRIVATE_KEY: must be set too \(the service app's private key: PEM or JWK text, or @\/path\/to\/file\), because OKTA_CLIENT_ID is set$/],
    ['no client id', { OKTA_CLIENT_ID: '' }, /^OKTA_CLIENT_ID: must be set too \(the Client ID of the Okta API Services app\), because OKTA_PRIVATE_KEY and OKTA_PRIVATE_KEY_ID are set$/],
    ['no org', { OKTA_ORG_URL: '' }, /^OKTA_ORG_URL: must be set too, because OKTA_CLIENT_ID and OKTA_PRIVATE_KEY and OKTA_PRIVATE_KEY_ID are set$/],
    ['a PEM without a key id', { OKTA_PRIVATE_KEY_ID: '' }, /^OKTA_PRIVATE_KEY_ID: must be set too \(the KID Okta shows next to the public key on the service app\)/],
    ['a key id the JWK contradicts', { OKTA_PRIVATE_KEY: JSON.stringify(rsa.privateJwk), OKTA_PRIVATE_KEY_ID: 'kid-other' }, /^OKTA_PRIVATE_KEY_ID: is "kid-other" but the JWK in OKTA_PRIVATE_KEY has kid "kid-rsa"/],
    ['not a key', { OKTA_PRIVATE_KEY: 'hunter2-not-a-key' }, /^OKTA_PRIVATE_KEY: is neither a PEM private key/],
    ['a public key', { OKTA_PRIVATE_KEY: rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString() }, /^OKTA_PRIVATE_KEY: is a public key \(PUBLIC KEY\); the bot needs the private key, and the public key is what you register on the Okta app$/],
    ['an unreadable file', { OKTA_PRIVATE_KEY: '@/nonexistent/key.pem' }, /^OKTA_PRIVATE_KEY: cannot read \/nonexistent\/key.pem \(ENOENT\)$/],
    ['a key id without the rest', { OKTA_CLIENT_ID: '', OKTA_PRIVATE_KEY: '', OKTA_PRIVATE_KEY_ID: 'kid-rsa' }, /^OKTA_CLIENT_ID: must be set too/],
  ])('refuses %s with one line naming the variable', (_name, extra, message) => {
    const text = errorOf(oauth(extra));
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
    expect(text).not.toContain(rsa.privatePem.split('\n')[3]);
  });

  it('says when the key file cannot be read for permissions', () => {
    if (process.getuid?.() === 0) return; // root reads any file
    expect(errorOf(oauth({ OKTA_PRIVATE_KEY: `@${path.join(dir, 'locked.pem')}` }))).toMatch(/^OKTA_PRIVATE_KEY: cannot read .*locked\.pem \(EACCES\)$/);
  });

  it('lets OKTA_SYSTEM_LOG_PAM use the OAuth credential', () => {
    expect(load(oauth({ OKTA_SYSTEM_LOG_PAM: '1' })).systemLogPam).toBe(true);
  });
});

describe('DATABASE_URL', () => {
  it('is off by default and takes a postgres URL with a database', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://oig:s3cret@db.internal:5432/oig' }).databaseUrl).toBe('postgres://oig:s3cret@db.internal:5432/oig');
    expect(loadConfig({ DATABASE_URL: 'postgresql://oig@localhost/oig?sslmode=require' }).databaseUrl).toContain('sslmode=require');
  });

  it('refuses what is not one, without echoing the password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:topsecret@h/db' })).toThrow(/^DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\/ \(got mysql:\/\/…\)$/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:topsecret@h' })).toThrow(/^DATABASE_URL: must name the database/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url topsecret' })).toThrow(/^DATABASE_URL: is not a URL/);
    for (const bad of ['mysql://u:topsecret@h/db', 'postgres://u:topsecret@h', 'not a url topsecret']) {
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('topsecret') }));
    }
  });
});
