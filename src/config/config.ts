import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTE_FAMILIES, type RouteFamily } from '../cards/card.ts';
import { KeyProblem, parseOktaKey, type OktaSigningKey } from '../okta/okta-key.ts';
import { ConfigError, EnvReader, type Env } from './env-reader.ts';

/** The Okta Management API: the org and exactly one credential (SPEC §2, §9). */
export interface OktaConfig {
  /** https://your-org.okta.com, no trailing slash */
  orgUrl: string;
  /** OKTA_API_TOKEN: an SSWS API token; set exactly when `oauth` is not */
  apiToken?: string;
  /** OKTA_CLIENT_ID, OKTA_PRIVATE_KEY, OKTA_PRIVATE_KEY_ID: an OAuth 2.0 service app (private_key_jwt) */
  oauth?: {
    clientId: string;
    privateKey: OktaSigningKey;
    /** the kid of the public key registered on the app (OKTA_PRIVATE_KEY_ID, or the JWK's own kid) */
    keyId: string;
  };
}

/**
 * The whole configuration, read once at start from the variables of SPEC §2. Nothing else in the project
 * reads process.env. Optional parts are undefined when off.
 */
export interface Config {
  port: number;
  host: string;
  /** absolute path of the state folder */
  dataDir: string;
  /**
   * DATABASE_URL (`postgres://user:password@host:5432/db`): state in PostgreSQL instead of DATA_DIR, shared
   * by several replicas (issue 13). Unset: the embedded lowdb store in DATA_DIR.
   */
  databaseUrl?: string;
  hook: {
    /** undefined: generate one and keep it in DATA_DIR (see hook-secret.ts) */
    secret?: string;
    /** lower-case header name Okta sends the secret in */
    authHeader: string;
  };
  okta?: OktaConfig;
  slack?: {
    botToken: string;
    /** required for HTTP mode; Socket Mode (appToken) does not sign requests */
    signingSecret?: string;
    appToken?: string;
    apiUrl: string;
    /** channel per routing family; undefined = no channel configured for it */
    channels: Record<RouteFamily, string | undefined>;
  };
  /** Slack user ids, emails, Teams AAD object ids or UPNs (lower-cased). Empty: nobody (deny by default). */
  allowedUsers: string[];
  teams?: { appId?: string; appPassword?: string; tenantId?: string; devNoAuth: boolean };
  asa?: { team: string; keyId: string; keySecret: string; baseUrl: string; pollCron: string; pageSize: number };
  reminderCron: string;
  /** VERIFY_AFTER: delays after which a done task is checked again in Okta (drift); empty = off */
  verifyAfterMs: number[];
  /** OKTA_SYSTEM_LOG_PAM: the System Log poller also reads Okta Privileged Access `pam.*` events */
  systemLogPam: boolean;
  /**
   * ASA_USER_MAP: Okta user (login or id, lower-cased) → ASA/OPA user name, for people whose ASA/OPA name
   * is not their login's local part (see the "revoked but still used" match).
   */
  asaUserMap: Record<string, string>;
  retentionDays: number;
  logLevel: string;
  /** METRICS_TOKEN: GET /metrics answers only `Authorization: Bearer <token>`; undefined: open (SPEC §9) */
  metricsToken?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** RFC 9110 token characters: what a header name may contain */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Slack channel ids (C…, G…, D…) or a #name */
const SLACK_CHANNEL = /^([CGD][A-Z0-9]{6,}|#[a-z0-9_-]{1,80})$/;

/** Validates every variable of SPEC §2; throws ConfigError (one line, names the variable) on the first problem. */
export function loadConfig(env: Env, cwd = process.cwd()): Config {
  const r = new EnvReader(env);
  const authHeader = (r.str('OKTA_HOOK_AUTH_HEADER') ?? 'authorization').toLowerCase();
  if (!HEADER_NAME.test(authHeader)) throw new ConfigError('OKTA_HOOK_AUTH_HEADER', `is not a valid HTTP header name (got "${authHeader}")`);

  const config: Config = {
    port: r.int('PORT', 3000, 0, 65535),
    host: r.str('HOST') ?? '0.0.0.0',
    dataDir: path.resolve(cwd, r.str('DATA_DIR') ?? './data'),
    ...databaseUrl(r),
    hook: { secret: r.secret('OKTA_HOOK_SECRET', 16), authHeader },
    allowedUsers: r.list('OIG_ALLOWED_USERS').map((u) => u.toLowerCase()),
    reminderCron: r.cron('REMINDER_CRON', '0 9 * * 1-5'),
    verifyAfterMs: r.durations('VERIFY_AFTER', '24h,7d'),
    systemLogPam: r.flag('OKTA_SYSTEM_LOG_PAM'),
    asaUserMap: userMap(r.str('ASA_USER_MAP')),
    retentionDays: r.int('RETENTION_DAYS', 400, 1, 36500),
    logLevel: r.str('LOG_LEVEL') ?? 'info',
    ...metricsToken(r),
  };
  if (!LOG_LEVELS.includes(config.logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  config.okta = readOkta(r);
  if (config.systemLogPam && !config.okta) {
    throw new ConfigError('OKTA_SYSTEM_LOG_PAM', 'needs the Okta API (OKTA_ORG_URL and a credential): the pam.* events are read from the System Log');
  }
  config.slack = readSlack(r);
  config.teams = readTeams(r);
  if (r.group(['ASA_TEAM', 'ASA_KEY_ID', 'ASA_KEY_SECRET'])) {
    config.asa = {
      team: r.str('ASA_TEAM')!,
      keyId: r.str('ASA_KEY_ID')!,
      keySecret: r.secret('ASA_KEY_SECRET')!,
      baseUrl: r.url('ASA_BASE_URL', 'https://app.scaleft.com')!,
      pollCron: r.cron('ASA_POLL_CRON', '*/5 * * * *'),
      pageSize: r.int('ASA_PAGE_SIZE', 500, 1, 1000),
    };
  } else {
    // still validate what is set, so a typo does not wait for the day ASA is switched on
    r.url('ASA_BASE_URL');
    r.cron('ASA_POLL_CRON', '*/5 * * * *');
    r.int('ASA_PAGE_SIZE', 500, 1, 1000);
  }
  return config;
}

/** DATABASE_URL: a postgres:// or postgresql:// URL with a database name; the password is never echoed */
function databaseUrl(r: EnvReader): { databaseUrl?: string } {
  const raw = r.secret('DATABASE_URL');
  if (raw === undefined) return {};
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user:password@host:5432/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql:// (got ${u.protocol}//…)`);
  }
  if (u.pathname.replace(/^\//, '') === '') throw new ConfigError('DATABASE_URL', 'must name the database (postgres://user:password@host:5432/database)');
  return { databaseUrl: raw };
}

/** RFC 6750's b64token: what a client can send after "Bearer " without quoting */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** METRICS_TOKEN: a bearer token of at least 16 characters; its value is never echoed */
function metricsToken(r: EnvReader): { metricsToken?: string } {
  const token = r.secret('METRICS_TOKEN', 16);
  if (token === undefined) return {};
  if (!BEARER_TOKEN.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'may hold only letters, digits and - . _ ~ + / (a bearer token; e.g. the output of `openssl rand -hex 32`)');
  }
  return { metricsToken: token };
}

/** `alice@acme.com=alice_admin, 00u123=bob` (or `@/path/to/file` holding such pairs, one per line or comma) */
function userMap(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch (err) {
      throw new ConfigError('ASA_USER_MAP', `cannot read ${raw.slice(1)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  const map: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of text.split(/[,\n]/).map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('#'))) {
    const m = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(pair);
    if (!m) throw new ConfigError('ASA_USER_MAP', `must be pairs like "alice@acme.com=alice_admin" (got "${pair}")`);
    map[m[1]!.toLowerCase()] = m[2]!;
  }
  return map;
}

const OAUTH_VARIABLES = ['OKTA_CLIENT_ID', 'OKTA_PRIVATE_KEY', 'OKTA_PRIVATE_KEY_ID'];

/** OKTA_ORG_URL with exactly one credential: OKTA_API_TOKEN, or OKTA_CLIENT_ID with its private key */
function readOkta(r: EnvReader): OktaConfig | undefined {
  const oauthSet = OAUTH_VARIABLES.filter((n) => r.str(n) !== undefined);
  if (r.str('OKTA_API_TOKEN') !== undefined && oauthSet.length > 0) {
    throw new ConfigError('OKTA_API_TOKEN', `cannot be used together with ${oauthSet.join(' and ')}: choose one Okta credential (unset OKTA_API_TOKEN to use the OAuth service app, or unset ${OAUTH_VARIABLES.join(', ')} to keep the API token)`);
  }
  if (oauthSet.length === 0) {
    if (r.str('OKTA_ORG_URL') !== undefined && r.str('OKTA_API_TOKEN') === undefined) {
      throw new ConfigError('OKTA_API_TOKEN', 'must be set too, because OKTA_ORG_URL is set (or use an OAuth service app: OKTA_CLIENT_ID and OKTA_PRIVATE_KEY)');
    }
    if (!r.group(['OKTA_ORG_URL', 'OKTA_API_TOKEN'])) return undefined;
    return { orgUrl: r.url('OKTA_ORG_URL')!, apiToken: r.secret('OKTA_API_TOKEN')! };
  }
  if (r.str('OKTA_ORG_URL') === undefined) throw new ConfigError('OKTA_ORG_URL', `must be set too, because ${oauthSet.join(' and ')} ${oauthSet.length > 1 ? 'are' : 'is'} set`);
  const orgUrl = r.url('OKTA_ORG_URL')!;
  const clientId = r.str('OKTA_CLIENT_ID');
  if (clientId === undefined) throw new ConfigError('OKTA_CLIENT_ID', `must be set too (the Client ID of the Okta API Services app), because ${oauthSet.join(' and ')} ${oauthSet.length > 1 ? 'are' : 'is'} set`);
  const raw = r.secret('OKTA_PRIVATE_KEY');
  if (raw === undefined) throw new ConfigError('OKTA_PRIVATE_KEY', 'must be set too (the service app\'s private key: PEM or JWK text, or @/path/to/file), because OKTA_CLIENT_ID is set');
  const keyIdVar = r.str('OKTA_PRIVATE_KEY_ID');
  let privateKey: OktaSigningKey;
  try {
    privateKey = parseOktaKey(keyText(raw), keyIdVar);
  } catch (err) {
    if (err instanceof KeyProblem) throw new ConfigError('OKTA_PRIVATE_KEY', err.message);
    throw err;
  }
  if (keyIdVar !== undefined && privateKey.kid !== undefined && privateKey.kid !== keyIdVar) {
    throw new ConfigError('OKTA_PRIVATE_KEY_ID', `is "${keyIdVar}" but the JWK in OKTA_PRIVATE_KEY has kid "${privateKey.kid}": set the KID Okta shows for this key, or leave OKTA_PRIVATE_KEY_ID unset to use the JWK's`);
  }
  const keyId = keyIdVar ?? privateKey.kid;
  if (keyId === undefined) throw new ConfigError('OKTA_PRIVATE_KEY_ID', 'must be set too (the KID Okta shows next to the public key on the service app), because OKTA_PRIVATE_KEY has no kid of its own');
  return { orgUrl, oauth: { clientId, privateKey, keyId } };
}

/** the key itself, or the text of the file `@/path/to/file` names */
function keyText(raw: string): string {
  if (!raw.startsWith('@')) return raw;
  const file = raw.slice(1).trim();
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('OKTA_PRIVATE_KEY', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function readSlack(r: EnvReader): Config['slack'] {
  const apiUrl = r.url('SLACK_API_URL', 'https://slack.com/api/')! + '/';
  const channels = {} as Record<RouteFamily, string | undefined>;
  const fallback = slackChannel(r, 'SLACK_CHANNEL');
  for (const f of ROUTE_FAMILIES) channels[f] = slackChannel(r, `SLACK_CHANNEL_${f}`) ?? fallback;
  const botToken = r.secret('SLACK_BOT_TOKEN');
  const appToken = r.secret('SLACK_APP_TOKEN');
  const signingSecret = r.secret('SLACK_SIGNING_SECRET');
  if (!botToken) {
    if (appToken || signingSecret) throw new ConfigError('SLACK_BOT_TOKEN', 'must be set too, because Slack is partly configured');
    return undefined;
  }
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN', 'must be a bot token (starts with xoxb-)');
  if (appToken && !appToken.startsWith('xapp-')) throw new ConfigError('SLACK_APP_TOKEN', 'must be an app-level token (starts with xapp-)');
  if (!appToken && !signingSecret) {
    throw new ConfigError('SLACK_SIGNING_SECRET', 'must be set for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return { botToken, signingSecret, appToken, apiUrl, channels };
}

function slackChannel(r: EnvReader, name: string): string | undefined {
  const v = r.str(name);
  if (v !== undefined && !SLACK_CHANNEL.test(v)) {
    throw new ConfigError(name, `must be a Slack channel id like C0123456789 (got "${v}")`);
  }
  return v;
}

function readTeams(r: EnvReader): Config['teams'] {
  const devNoAuth = r.flag('TEAMS_DEV_NO_AUTH');
  if (r.group(['TEAMS_APP_ID', 'TEAMS_APP_PASSWORD', 'TEAMS_TENANT_ID'])) {
    return { appId: r.str('TEAMS_APP_ID'), appPassword: r.secret('TEAMS_APP_PASSWORD'), tenantId: r.str('TEAMS_TENANT_ID'), devNoAuth };
  }
  return devNoAuth ? { devNoAuth } : undefined;
}

export { ConfigError } from './env-reader.ts';
