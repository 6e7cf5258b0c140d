import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { decideEvent, envelope, systemEvent } from '../helpers/okta-events.ts';
import { makeDataDir, startBot, TEST_SECRET, type RunningBot } from '../helpers/start-bot.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function tsx(script: string, args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
    timeout: 30_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('npm run demo', () => {
  it('shows every card kind of the bundled scenario, through the real hook route and the real ASA poller', async () => {
    const { code, stdout } = await tsx('src/demo.ts', ['--exit'], { DATA_DIR: await tempDir() });
    expect(code).toBe(0);
    for (const title of [
      'Campaign launched: Q4 Salesforce and Finance review',
      'Access revoked: Dave Example · Salesforce',
      'Remediation SUCCESS',
      'Manual remediation needed: Erin Example · Finance Admins',
      'via Okta Workflows (connection owner: svc-workflows',
      'Campaign closed: Q4 Salesforce and Finance review',
      'State:         Rejected',
      'Access review action: Security review for Frank Example',
      'Okta rate limit warning',
      'erin (status ACTIVE) logged in to db-01 (project finance)',
      // the scenario's point: Erin's revoke, and her ASA use after it
      'Revoked but still used: Erin Example · Finance Admins',
      'demo: replayed 18 sample Okta events and read 5 ASA audit events from the built-in fake',
    ]) {
      expect(stdout).toContain(title);
    }
  });
});

describe('npm run replay', () => {
  let bot: RunningBot;
  const replay = async (payload: unknown, extra: string[] = []) => {
    const file = path.join(await tempDir(), 'payload.json');
    await writeFile(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
    return tsx('src/tools/replay.ts', [file, '--url', `${bot.url}/okta/hooks`, ...extra], { OKTA_HOOK_SECRET: TEST_SECRET, DATA_DIR: bot.dataDir });
  };

  it('posts an envelope, a single LogEvent and a System Log list', async () => {
    bot = await startBot();
    cleanup.push(() => bot.stop(true));
    const one = decideEvent({ decision: 'REVOKE' });
    const list = Array.from({ length: 60 }, () => systemEvent('system.org.rate_limit.warning'));
    const results = [await replay(envelope([decideEvent({})])), await replay(one), await replay(list)];
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    // the list is sent in envelopes of 50
    expect(results[2]!.stdout).toContain('delivery 2/2 (10 events): 200');
    expect(bot.bot.store.has(one.uuid as string)).toBe(true);
    expect(bot.bot.store.stats().events).toBe(62);
  });

  it('says what went wrong and exits non-zero when the bot refuses', async () => {
    bot = await startBot();
    cleanup.push(() => bot.stop(true));
    const refused = await replay(decideEvent({}), ['--secret', 'wrong-secret-wrong-secret']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('401');
    const garbage = await replay('{ not json');
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('replay failed');
    const usage = await tsx('src/tools/replay.ts', []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run replay');
  });
});
