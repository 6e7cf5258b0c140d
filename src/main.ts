import type { Bot } from './app.ts';
import { composeBot } from './compose.ts';
import { loadConfig, ConfigError, type Config } from './config/config.ts';
import { environmentWithDotEnv } from './config/dot-env.ts';
import { createLogger } from './logger.ts';
import { resolveHookSecret, type HookSecret } from './okta/hook-secret.ts';

/**
 * The entry point of `npm start`: configuration, the hook secret, the assembled bot (compose.ts, the
 * composition root), the start banner and a clean stop on SIGTERM. With no configuration at all it is
 * local mode (SPEC §1).
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<Bot> {
  const config = loadConfig(environmentWithDotEnv(env));
  const log = createLogger(config.logLevel);
  const secret = await resolveHookSecret(config.hook.secret, config.dataDir);
  const app = await composeBot(config, { hookSecret: secret.value, log });
  const { bot, localMode } = app;
  const port = await app.start();
  process.stdout.write(banner(config, port, secret, localMode, bot.store.stats().events));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing deliveries and flushing the store');
    app.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'unclean stop');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return bot;
}

function banner(config: Config, port: number, secret: HookSecret, localMode: boolean, events: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}/okta/hooks`;
  const secretLine =
    secret.origin === 'env'
      ? '(from OKTA_HOOK_SECRET)'
      : `${secret.value}   (${secret.origin === 'generated' ? 'generated now' : 'generated earlier'}, kept in ${config.dataDir})`;
  return [
    '',
    `oig-chatops is running${localMode ? ' in local mode: cards are printed here' : ''}`,
    `  Slack                 ${config.slack ? (config.slack.appToken ? 'on: Socket Mode' : `on: http://${host}:${port}/slack/events`) : 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}`,
    `  Teams                 ${config.teams ? `on: http://${host}:${port}/api/messages${config.teams.appId ? '' : ' WITHOUT Bot Framework auth (TEAMS_DEV_NO_AUTH=1, local testing only)'}` : 'off (set TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID)'}`,
    `  Okta event hook URL   ${url}   (use your public https address in Okta)`,
    `  Okta auth header      ${config.hook.authHeader}: ${secretLine}`,
    `  health / metrics      http://${host}:${port}/healthz   http://${host}:${port}/metrics`,
    `  data folder           ${config.dataDir} (${events} events stored)`,
    `  ASA audit poller      ${config.asa ? `on: team ${config.asa.team} at ${config.asa.baseUrl}, "${config.asa.pollCron}"` : 'off (set ASA_TEAM, ASA_KEY_ID, ASA_KEY_SECRET)'}`,
    `  System Log backfill   ${config.okta ? `on: ${config.okta.orgUrl}, every 5 minutes` : 'off (set OKTA_ORG_URL, OKTA_API_TOKEN)'}`,
    '',
  ].join('\n') + '\n';
}

function startError(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
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
