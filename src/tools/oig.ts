import { access, constants, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.ts';
import { environmentWithDotEnv } from '../config/dot-env.ts';
import { createLogger } from '../logger.ts';
import type { CsvReply, OigReply, OigRequest } from './oig/answer-reply.ts';
import { ask } from './oig/ask.ts';
import { AskFailedError } from './oig/ask-bot.ts';
import { printReply } from './oig/print-table.ts';

/**
 * `npm run oig -- <words>` (issue 14 §1, SPEC §9): the `/oig` commands from a terminal, answered by the same
 * engine as in Slack and Teams, from the running bot or, when none runs, from its stored data (oig/ask.ts
 * says who answers and why that exposes nothing new). It only reads: the task buttons are for the chats.
 */
const USAGE = `usage: npm run oig -- <words> [--csv FILE] [--page K] [--json]

  <words>      the words of /oig: skipped, revokes since 7d, user alice, stats … (npm run oig -- help lists them)
  --csv FILE   write the answer as the CSV export of /oig export (every row); "-" writes it to stdout.
               "npm run oig -- export revokes" writes the export's own file name in this folder.
  --page K     only page K of the answer, as /oig pages it (default: every row)
  --json       the answer as JSON (title, summary, columns, rows) instead of a table

Answered by the bot running on DATA_DIR (through DATA_DIR/oig.sock, which only the bot's user may use),
else by a running npm run demo when DATA_DIR is not set, else from the data in DATA_DIR; with DATABASE_URL
from the database. Uses DATA_DIR and DATABASE_URL like the bot (environment and .env).

exit codes: 0 answered, 1 failed (no answer, or the CSV could not be written), 2 usage (not an oig command)`;

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface Options {
  words: string;
  page?: number;
  /** the CSV's path, "-" for stdout, "" for the export's own name in the user's folder */
  csv?: string;
  json: boolean;
}

function parseOptions(argv: string[]): Options | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { csv: { type: 'string' }, page: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const { values, positionals } = parsed;
  if (values.help) return '';
  const words = positionals.join(' ').trim();
  if (words === '') return 'no words: say what to ask, e.g. npm run oig -- skipped';
  const exportWords = /^export\b/i.test(words);
  if (values.csv !== undefined && values.csv.trim() === '') return '--csv needs a file name (or - for stdout)';
  const csv = values.csv ?? (exportWords ? '' : undefined);
  let page: number | undefined;
  if (values.page !== undefined) {
    if (!/^\d{1,6}$/.test(values.page) || Number(values.page) < 1) return `--page takes a page number from 1 (got "${values.page}")`;
    if (csv !== undefined) return '--page and a CSV export do not go together: the export has every row';
    page = Number(values.page) - 1;
  }
  return { words, json: values.json === true, ...(page !== undefined ? { page } : {}), ...(csv !== undefined ? { csv } : {}) };
}

/** npm runs scripts in the package's folder; a relative --csv path means the folder the user typed it in */
function userPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

async function oig(argv: string[]): Promise<number> {
  const o = parseOptions(argv);
  if (typeof o === 'string') {
    if (o === '') {
      console.log(USAGE);
      return EXIT.ok;
    }
    console.error(`${o}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const env = environmentWithDotEnv();
  const config = loadConfig(env);
  // fail before asking when the file cannot be written: a big export is computed for nothing otherwise
  if (o.csv) await access(path.dirname(userPath(o.csv)), constants.W_OK).catch((err: NodeJS.ErrnoException) => {
    throw new AskFailedError(`cannot write the CSV to ${userPath(o.csv!)}: ${err.code === 'ENOENT' ? 'its folder does not exist' : `${err.code ?? err.message}`}`);
  });
  const req: OigRequest = { words: o.words, ...(o.page !== undefined ? { page: o.page } : {}), ...(o.csv !== undefined ? { csv: true } : {}) };
  const { reply, note } = await ask(config, req, { dataDirGiven: env.DATA_DIR !== undefined, log: createLogger('warn') });
  if (note) console.error(`(${note})`);
  return show(reply, o, env.NO_COLOR === undefined && process.stdout.isTTY === true);
}

async function show(reply: OigReply, o: Options, color: boolean): Promise<number> {
  if (reply.kind === 'error') {
    console.error(`oig: ${reply.message}`);
    return EXIT.failed;
  }
  if (reply.kind === 'csv') return writeCsv(reply, o.csv ?? '');
  const text = o.json ? `${JSON.stringify(reply, null, 2)}\n` : printReply(reply, { color: color && !reply.usage });
  // not an oig command: the engine's help, as a usage error
  if (reply.usage) {
    await write(process.stderr, text);
    return EXIT.usage;
  }
  await write(process.stdout, text);
  return reply.loading || o.csv !== undefined ? EXIT.failed : EXIT.ok;
}

async function writeCsv(reply: CsvReply, target: string): Promise<number> {
  const { csv, filename, rows, matched } = reply.export;
  if (target === '-') {
    await write(process.stdout, csv);
    return EXIT.ok;
  }
  const file = userPath(target || filename);
  try {
    // governance data: readable by this user only, like DATA_DIR's own files should be
    await writeFile(file, csv, { mode: 0o600 });
  } catch (err) {
    console.error(`oig: cannot write the CSV to ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return EXIT.failed;
  }
  console.log(`${reply.export.title}: ${rows} row(s) written to ${file} (${matched} matched)`);
  return EXIT.ok;
}

/** resolves once written: process.exit() right after a write to a pipe could cut a long answer short */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

oig(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`oig: ${err.message}`);
      process.exit(EXIT.usage);
    }
    console.error(`oig: ${err instanceof Error && err.name !== 'Error' && !(err instanceof AskFailedError) ? `${err.name}: ` : ''}${err instanceof Error ? err.message : String(err)}`);
    process.exit(EXIT.failed);
  },
);
