import type { Bot } from './app.ts';
import { stopOnSignals } from './clean-stop.ts';
import { composeBot, type Composed } from './compose.ts';
import { loadConfig, ConfigError, type Config } from './config/config.ts';
import { environmentWithDotEnv } from './config/dot-env.ts';
import { createLogger } from './logger.ts';
import { resolveHookSecret, type HookSecret } from './okta/hook-secret.ts';
import { createStateStore } from './store/create-state-store.ts';
import { NormalizePool } from './intake/normalize-pool.ts';
import { DataDirBusyError, holdDataDir, type DataDirLease } from './store/data-dir-lock.ts';

/**
 * The entry point of `npm start`: configuration, the DATA_DIR lock, the hook secret, the assembled bot
 * (compose.ts, the composition root), the start banner and a bounded clean stop on SIGTERM/SIGINT
 * (clean-stop.ts). With no configuration at all it is local mode (SPEC §1).
 */
/** what a replica on PostgreSQL holds of DATA_DIR: nothing */
const NO_DATA_DIR_LEASE: Pick<DataDirLease, 'onLost' | 'release'> = { onLost: () => undefined, release: async () => undefined };

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<Bot> {
  const config = loadConfig(environmentWithDotEnv(env));
  const log = createLogger(config.logLevel);
  // DATA_DIR is this process's before anything is written there (the hook secret file first, then the
  // stores and outboxes), so a second bot on the same folder stops here having written nothing. This share
  // is held until the whole composition has stopped (the chats persist their outboxes after the Bot).
  // Replicas on PostgreSQL keep nothing in DATA_DIR: the database's leader lease orders them instead (app.ts).
  // the parsing workers boot (~1 s) while the rest starts: the hook must answer within 2 s of a start (issue 13)
  const normalizer = new NormalizePool(log);
  normalizer.start().catch(() => undefined);
  const state = createStateStore(config, { log });
  const lease = state.kind === 'files' ? await holdDataDir(config.dataDir, 'bot', {
    onTakeOver: (stale, reason) => log.warn({ pid: stale?.pid, host: stale?.hostname, reason }, 'took over a stale DATA_DIR lock'),
  }) : NO_DATA_DIR_LEASE;
  let app: Composed | undefined;
  // SIGTERM/SIGINT stop cleanly from here on, also during start-up (loading a big store takes seconds):
  // the stop waits for the start to settle, then stops what was started
  let starting: Promise<unknown> = Promise.resolve();
  stopOnSignals({
    log,
    stop: async () => {
      await starting.catch(() => undefined);
      await app?.stop();
      await lease.release();
    },
  });
  lease.onLost((why) => {
    // another process judged this one dead and writes DATA_DIR now: writing on (even a clean stop's flush)
    // would overwrite its files. What this process acknowledged is in the write-ahead log already.
    log.error({ why }, 'the DATA_DIR lock was taken over by another process; exiting at once so only one process writes DATA_DIR');
    process.exit(1);
  });

  const start = async () => {
    const secret = await resolveHookSecret(config.hook.secret, config.dataDir, state);
    app = await composeBot(config, { hookSecret: secret.value, log, state, normalizer });
    // a replica that led and lost its lease (its database connection died) must stop writing at once:
    // another replica leads now, and everything this one acknowledged is in the database
    app.bot.leadership.onLost((reason) => {
      log.error({ reason }, 'this replica lost the lead; exiting at once so that only the new leader routes and posts');
      process.exit(1);
    });
    return { secret, composed: app, port: await app.start() };
  };
  const startup = start();
  starting = startup;
  let started: Awaited<typeof startup>;
  try {
    started = await startup;
  } catch (err) {
    await lease.release().catch(() => undefined);
    throw err;
  }
  const { secret, composed, port } = started;
  const { bot, localMode } = composed;
  process.stdout.write(banner(config, port, secret, localMode, bot.store.stats().events));
  return bot;
}

function banner(config: Config, port: number, secret: HookSecret, localMode: boolean, events: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}/okta/hooks`;
  const secretLine =
    secret.origin === 'env'
      ? '(from OKTA_HOOK_SECRET)'
      : `${secret.value}   (${secret.origin === 'generated' ? 'generated now' : 'generated earlier'}, kept in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})`;
  return [
    '',
    `oig-chatops is running${localMode ? ' in local mode: cards are printed here' : ''}`,
    `  Slack                 ${config.slack ? (config.slack.appToken ? 'on: Socket Mode' : `on: http://${host}:${port}/slack/events`) : 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}`,
    `  Teams                 ${config.teams ? `on: http://${host}:${port}/api/messages${config.teams.appId ? '' : ' WITHOUT Bot Framework auth (TEAMS_DEV_NO_AUTH=1, local testing only)'}` : 'off (set TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID)'}`,
    `  Okta event hook URL   ${url}   (use your public https address in Okta)`,
    `  Okta auth header      ${config.hook.authHeader}: ${secretLine}`,
    `  health / metrics      http://${host}:${port}/healthz   /readyz   /metrics${config.metricsToken ? ' (metrics require a bearer token: METRICS_TOKEN)' : ''}`,
    config.databaseUrl
      ? `  state                 PostgreSQL ${databaseName(config.databaseUrl)} (events, tasks, outboxes, checkpoints; replicas welcome)`
      : `  data folder           ${config.dataDir} (${events} events stored)`,
    `  ASA audit poller      ${config.asa ? `on: team ${config.asa.team} at ${config.asa.baseUrl}, "${config.asa.pollCron}"` : 'off (set ASA_TEAM, ASA_KEY_ID, ASA_KEY_SECRET)'}`,
    `  System Log backfill   ${config.okta ? `on: ${config.okta.orgUrl}, every 5 minutes, ${oktaCredential(config.okta)}${config.systemLogPam ? ', with OPA audit events (pam.*)' : ''}` : 'off (set OKTA_ORG_URL and OKTA_API_TOKEN, or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY)'}`,
    '',
  ].join('\n') + '\n';
}

/** host and database of DATABASE_URL, never its user or password */
function databaseName(url: string): string {
  const u = new URL(url);
  return `${u.host || 'local socket'}${u.pathname}`;
}

function oktaCredential(okta: NonNullable<Config['okta']>): string {
  return okta.oauth ? `OAuth service app ${okta.oauth.clientId} (key ${okta.oauth.keyId}, ${okta.oauth.privateKey.alg})` : 'API token (OKTA_API_TOKEN)';
}

function startError(err: unknown): string {
  if (err instanceof ConfigError || err instanceof DataDirBusyError) return err.message;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'PORT: the port is already in use by another program (set PORT to a free one)';
  if (code === 'EACCES' || code === 'EROFS') return `DATA_DIR: cannot write there (${(err as Error).message})`;
  return err instanceof Error ? err.message : String(err);
}

const isEntryPoint = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntryPoint) {
  main().catch((err: unknown) => {
    process.stderr.write(`oig-chatops: cannot start: ${startError(err)}\n`);
    process.exit(1);
  });
}
