import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { environmentWithDotEnv } from '../config/dot-env.ts';
import { HOOK_SECRET_FILE } from '../okta/hook-secret.ts';
import { toDeliveries } from './replay-payload.ts';

/**
 * `npm run replay -- file.json [--url URL] [--secret S]`: posts a saved Okta payload to a running bot,
 * the way users and developers reproduce what Okta sent. The file may be a hook envelope, one LogEvent,
 * or a list of LogEvents (what `GET /api/v1/logs` returns); lists are sent in envelopes of 50.
 */
const USAGE = 'usage: npm run replay -- <file.json> [--url http://localhost:3000/okta/hooks] [--secret <hook secret>]';

async function replay(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { url: { type: 'string' }, secret: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(environmentWithDotEnv());
  const url = values.url ?? `http://localhost:${config.port}/okta/hooks`;
  const secret = values.secret ?? config.hook.secret ?? (await readSecretFile(config.dataDir));
  if (!secret) {
    console.error(`no hook secret: pass --secret, set OKTA_HOOK_SECRET, or run from the folder whose DATA_DIR holds ${HOOK_SECRET_FILE}`);
    return 2;
  }
  const deliveries = toDeliveries(JSON.parse(await readFile(file, 'utf8')) as unknown);
  let failed = 0;
  for (const [i, body] of deliveries.entries()) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [config.hook.authHeader]: secret },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    console.log(`delivery ${i + 1}/${deliveries.length} (${body.data.events.length} events): ${res.status}${text ? ' ' + text : ''}`);
    if (!res.ok) failed++;
  }
  return failed === 0 ? 0 : 1;
}

async function readSecretFile(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(`${dataDir}/${HOOK_SECRET_FILE}`, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

replay(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`replay failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
