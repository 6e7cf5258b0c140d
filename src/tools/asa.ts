import { parseArgs } from 'node:util';
import { createStateStore } from '../store/create-state-store.ts';
import { createEventStore } from '../store/create-event-store.ts';
import type { StateStore } from '../store/state-store.ts';
import { asaCheckpointFile, ASA_RUNS_FILE, resetCheckpoint } from '../asa/asa-checkpoint.ts';
import { AsaPoller } from '../asa/asa-poller.ts';
import { ExecutionLog } from '../pollers/execution-log.ts';
import { asaRunLine, type AsaRunEntry } from '../pollers/run-entry.ts';
import { loadConfig, type Config } from '../config/config.ts';
import { environmentWithDotEnv } from '../config/dot-env.ts';
import { createHttpAgent } from '../http-client/agent.ts';
import { HttpClient } from '../http-client/http-client.ts';
import { Intake } from '../intake/intake.ts';
import { createLogger } from '../logger.ts';
import { Metrics } from '../metrics.ts';
import { DataDirBusyError, holdDataDir, holderText, type DataDirLease } from '../store/data-dir-lock.ts';

/**
 * `npm run asa -- poll | reset | status`: the ASA operator commands of SPEC §1. They read the same
 * configuration as the bot (environment and .env) and work on its DATA_DIR, so they refuse to run while
 * the bot holds that folder: the store lives in the bot's memory (store/data-dir-lock.ts). With
 * DATABASE_URL they work on the database beside running replicas: a page read twice is stored once, by key.
 */
const USAGE = `usage: npm run asa -- <command>

commands:
  poll     read ASA audit events now, from the checkpoint on, and print the run's execution log line
  reset    start ASA capture over from the oldest event ASA keeps (events already stored are not stored twice)
  status   print the checkpoint and the last runs

Uses ASA_TEAM, ASA_KEY_ID, ASA_KEY_SECRET, ASA_BASE_URL, ASA_PAGE_SIZE and DATA_DIR like the bot.
Stop the bot first: while it runs it owns DATA_DIR and these commands refuse (with DATABASE_URL they
work beside running replicas: what the leader's poller also read is stored once).
Events stored by "poll" are routed when the bot next starts: fresh notable ones are posted, ones older
than an hour are summarised in one "caught up" card (this command itself has no chat connection).

exit codes: 0 done, 1 the poll failed, 2 usage or configuration error, 3 the bot is running on DATA_DIR`;

const EXIT = { ok: 0, failed: 1, usage: 2, busy: 3 } as const;

async function asaTool(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { positionals, values } = parsed;
  const command = positionals[0];
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || !['poll', 'reset', 'status'].includes(command ?? '')) {
    console.error(command === undefined ? USAGE : `unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  const config = loadConfig(environmentWithDotEnv());
  if (command === 'status') return status(config);

  if (config.databaseUrl !== undefined) return command === 'poll' ? poll(config) : reset(config);
  let lease: DataDirLease;
  try {
    lease = await holdDataDir(config.dataDir, 'cli', { command: `npm run asa -- ${command}` });
  } catch (err) {
    if (!(err instanceof DataDirBusyError)) throw err;
    console.error(busyText(config.dataDir, err));
    return EXIT.busy;
  }
  try {
    return command === 'poll' ? await poll(config) : await reset(config);
  } finally {
    await lease.release();
  }
}

/** the bot (or another of these commands) writes DATA_DIR now */
function busyText(dataDir: string, err: DataDirBusyError): string {
  const h = err.holder;
  if (h?.holder === 'cli') return `${holderText(h)} is working on DATA_DIR ${dataDir}; wait for it to finish.`;
  const who = h ? `the bot (pid ${h.pid} on host ${h.hostname}, since ${h.startedAt})` : 'the bot';
  return `${who} is running with DATA_DIR ${dataDir}; stop it first (its own poller runs on ASA_POLL_CRON).`;
}

function parseOptions(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
}

async function poll(config: Config): Promise<number> {
  if (!config.asa) {
    console.error('ASA is not configured: set ASA_TEAM, ASA_KEY_ID and ASA_KEY_SECRET (see docs/asa.md)');
    return EXIT.usage;
  }
  const log = createLogger(config.logLevel);
  const metrics = new Metrics();
  const store = createEventStore(config, log);
  const state = createStateStore(config, { log });
  await store.open();
  const agent = createHttpAgent();
  try {
    const intake = new Intake(store, metrics, log);
    const http = new HttpClient({ dispatcher: agent, log });
    const poller = new AsaPoller({ asa: config.asa, intake, state, log, metrics, http, runAtStart: false });
    const entry = await poller.runOnce('manual');
    console.log(asaRunLine(entry));
    return entry.error ? EXIT.failed : EXIT.ok;
  } finally {
    await store.close();
    await state.close();
    await agent.close();
  }
}

async function reset(config: Config): Promise<number> {
  const state = createStateStore(config, { log: createLogger('warn') });
  const checkpoint = await asaCheckpointFile(state).open();
  const was = checkpoint.data.offset;
  await checkpoint.update(resetCheckpoint);
  await state.close();
  console.log(
    `ASA capture starts over from the oldest event at the next poll${was ? ` (was at offset ${was})` : ''}; events already stored are skipped, not stored twice.`,
  );
  return EXIT.ok;
}

async function status(config: Config): Promise<number> {
  const state: StateStore = createStateStore(config, { log: createLogger('warn') });
  const checkpoint = await asaCheckpointFile(state).open();
  const runs = await new ExecutionLog<AsaRunEntry>(state, ASA_RUNS_FILE).open();
  await state.close();
  const cp = checkpoint.data;
  console.log(
    cp.offset === undefined
      ? 'checkpoint: none, the next poll starts from the oldest event'
      : `checkpoint: offset ${cp.offset} (last page ${cp.lastPageSize} events)${cp.lastRunAt ? `, last complete run ${cp.lastRunAt}` : ''}`,
  );
  for (const run of runs.recent(5)) console.log(`${run.startedAt}  ${asaRunLine(run)}`);
  return EXIT.ok;
}

asaTool(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`asa: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof Error && err.name === 'ConfigError' ? EXIT.usage : EXIT.failed);
  },
);
