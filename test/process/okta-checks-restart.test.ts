/**
 * The background checks in Okta across kill -9 of the real process (src/main.ts): a diagnosis or a drift
 * check in flight when the process dies (Okta stalled) is owed on disk and done by the next process.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { envelope, GROUP, PRINCIPAL, remediateEvent } from '../helpers/okta-events.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

const dirs: string[] = [];
let okta: FakeOkta;

beforeEach(async () => {
  okta = await FakeOkta.start();
  okta.addGroup(GROUP.id, GROUP.name);
  okta.addMember(PRINCIPAL.id, GROUP.id);
  okta.addRule('0prFin', 'Finance by department', [GROUP.id], 'ACTIVE', 'user.department == "Finance"');
});
afterEach(async () => {
  await stopProcesses();
  await okta.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

interface TaskOnDisk {
  task: { state: string };
  diagnosis?: { access: string; why?: string };
  drift?: { from: string; checked: number };
}

async function taskOnDisk(dataDir: string, id: string): Promise<TaskOnDisk | undefined> {
  const doc = JSON.parse(await readFile(path.join(dataDir, 'state', 'manual-tasks.json'), 'utf8')) as { tasks: Record<string, TaskOnDisk> };
  return doc.tasks[id];
}

const groupReads = () => okta.apiRequests.filter((p) => p === `/api/v1/users/${PRINCIPAL.id}/groups`).length;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('background checks in Okta across kill -9', () => {
  it('a diagnosis in flight when the process died is done by the next process', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    okta.stall = () => true;
    const first = await startProcess(dataDir, okta.env());
    expect((await postHook(first.url, envelope([remediateEvent({ item: 'iciiCrash001', outcome: 'SKIPPED', resource: GROUP, published: ago(600_000) })]))).status).toBe(200);
    await eventually(async () => {
      expect(await taskOnDisk(dataDir, 'item:iciiCrash001')).toMatchObject({ task: { state: 'open' } });
      expect(groupReads()).toBe(1); // asked, never answered
    }, 10_000);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect((await taskOnDisk(dataDir, 'item:iciiCrash001'))?.diagnosis).toBeUndefined();

    okta.stall = undefined;
    await startProcess(dataDir, okta.env());
    await eventually(async () => {
      const t = await taskOnDisk(dataDir, 'item:iciiCrash001');
      expect(t?.diagnosis).toMatchObject({ access: 'present', why: expect.stringContaining('Finance by department') });
    }, 10_000);
  });

  it('a drift check owed when the process died is done by the next process, and reopens the task', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    okta.stall = () => true;
    const env = okta.env({ VERIFY_AFTER: '1m' });
    const first = await startProcess(dataDir, env);
    await postHook(first.url, envelope([remediateEvent({ item: 'iciiCrash002', outcome: 'SKIPPED', resource: GROUP, published: ago(600_000) })]));
    // Okta removed it two minutes ago (VERIFY_AFTER 1m: the drift check is due at once), and a rule put it back since
    await postHook(first.url, envelope([remediateEvent({ item: 'iciiCrash002', outcome: 'SUCCESS', resource: GROUP, published: ago(120_000) })]));
    await eventually(async () => expect(await taskOnDisk(dataDir, 'item:iciiCrash002')).toMatchObject({ task: { state: 'done' }, drift: { checked: 0 } }), 10_000);
    first.child.kill('SIGKILL');
    await exited(first.child);

    okta.stall = undefined;
    await startProcess(dataDir, env);
    await eventually(async () => {
      const t = await taskOnDisk(dataDir, 'item:iciiCrash002');
      expect(t?.task.state).toBe('open');
      expect(t?.drift).toBeUndefined();
      expect(t?.diagnosis?.why).toContain('Finance by department');
    }, 10_000);
    // the audit entry is written right after the task (work queue order), so it may land a moment later
    await eventually(async () => {
      const audit = await readFile(path.join(dataDir, 'state', 'manual-task-audit.json'), 'utf8').catch(() => '');
      expect(audit).toContain('"action":"reopen"');
      expect(audit).toContain('"via":"bot"');
    }, 10_000);
  });
});
