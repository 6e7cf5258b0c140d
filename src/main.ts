import { createSlack, type SlackAdapter } from '../adapters/slack/index.ts';
import { TerminalSink } from '../adapters/terminal/terminal-sink.ts';
import { Bot } from './app.ts';
import { loadConfig, ConfigError, type Config } from './config/config.ts';
import { environmentWithDotEnv } from './config/dot-env.ts';
import type { CardSink } from './delivery/card-sink.ts';
import { pollerLines } from './commands/poller-lines.ts';
import { startFollowUp } from './followup/index.ts';
import { createLogger } from './logger.ts';
import { resolveHookSecret, type HookSecret } from './okta/hook-secret.ts';

/**
 * Composition root: the only file that sees both the core (src/) and the adapters (adapters/).
 * `npm start` runs this; with no configuration at all it is local mode (SPEC §1).
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<Bot> {
  const config = loadConfig(environmentWithDotEnv(env));
  const log = createLogger(config.logLevel);
  const secret = await resolveHookSecret(config.hook.secret, config.dataDir);
  const sinks: CardSink[] = [];
  const localMode = !config.slack && !config.teams;
  if (localMode) sinks.push(new TerminalSink());

  const bot = new Bot({ config, hookSecret: secret.value, log, sinks });
  // the manual-remediation work queue: its card changes go to whatever sinks there are
  const followUp = await startFollowUp({ config, intake: bot.intake, log, publish: (cards) => sinks.forEach((s) => void s.deliver(cards)) });
  // Slack joins the bot's one server at /slack/events (or Socket Mode) and receives cards as a sink
  let slack: SlackAdapter | undefined;
  if (config.slack) {
    slack = await createSlack({
      config,
      router: bot.router,
      store: bot.store,
      dataDir: config.dataDir,
      log,
      metrics: bot.metrics,
      commands: { tasks: followUp.queue, stats: { pollers: () => pollerLines(bot.pollerStatus()) } },
      taskQueue: followUp.queue,
    });
    sinks.push(slack.sink);
  }
  const port = await bot.start();
  await slack?.start();
  process.stdout.write(banner(config, port, secret, localMode, bot.store.stats().events));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing deliveries and flushing the store');
    // the bot first (no new cards), then Slack (its outbox is durable; what is left goes out next start)
    bot
      .stop()
      .then(() => followUp.stop())
      .then(() => slack?.stop())
      .then(
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
