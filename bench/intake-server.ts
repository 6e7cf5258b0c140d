import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Bot } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { BENCH_SECRET, makeRecords } from './records.ts';

/**
 * A server under test, in its own process. `bare`: the floor of SPEC §8, a plain node:http server that
 * only reads and parses the JSON and answers 200. `bot`: the real bot (hook route, normalize, durable
 * lowdb store with group commit, routing) with `prefill` events already stored. Prints {"port":…}.
 */
const [mode = 'bot', prefill = '100000'] = process.argv.slice(2);

if (mode === 'bare') {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
} else {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: BENCH_SECRET });
  const bot = new Bot({ config, hookSecret: BENCH_SECRET, log: pino({ level: 'silent' }), sinks: [] });
  await bot.store.open();
  const records = makeRecords(Number(prefill), 60);
  for (let i = 0; i < records.length; i += 5000) await bot.store.append(records.slice(i, i + 5000));
  await bot.store.close();
  const port = await bot.start();
  // the prefill was stored without routing: the bot routes it at start (as after a crash); measure intake
  // once that is done, as in steady operation
  await bot.idle();
  console.log(JSON.stringify({ port, stored: bot.store.stats().events, dataDir }));
}
