import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Bot } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';

export const TEST_SECRET = 'test-hook-secret-0123456789abcdef';

/** A sink that keeps every card it is given, so tests can look at what would have been posted. */
import { MemorySink } from '../../src/delivery/memory-sink.ts';

export { MemorySink };

export interface RunningBot {
  bot: Bot;
  url: string;
  dataDir: string;
  sink: MemorySink;
  /** stops the bot; keeps the data folder unless `removeData` */
  stop(removeData?: boolean): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'oig-test-'));
}

/** a real Bot on 127.0.0.1, port 0, with its own data folder (or the one given, to test restarts) */
export async function startBot(env: Record<string, string> = {}, dataDir?: string): Promise<RunningBot> {
  const dir = dataDir ?? (await makeDataDir());
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, OKTA_HOOK_SECRET: TEST_SECRET, ...env });
  const sink = new MemorySink();
  const bot = new Bot({ config, hookSecret: config.hook.secret ?? TEST_SECRET, log: pino({ level: 'silent' }), sinks: [sink] });
  const port = await bot.start();
  return {
    bot,
    url: `http://127.0.0.1:${port}`,
    dataDir: dir,
    sink,
    async stop(removeData = false) {
      await bot.stop();
      if (removeData) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs a JSON (or raw string) body to /okta/hooks with the test secret unless told otherwise */
export function postHook(
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: TEST_SECRET },
): Promise<Response> {
  return fetch(`${url}/okta/hooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** waits until `check` passes or the time is up (for things that happen after the ack, like cards) */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
