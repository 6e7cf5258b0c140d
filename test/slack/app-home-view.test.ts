/**
 * The Home view as a pure function (adapters/slack/home/home-view.ts): the order per person, Slack's
 * 100-block limit with its "more" line, the empty state, the notice, and names from Okta as inert text;
 * and the manifest lines that make Slack show the tab and send app_home_opened.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HOME_MAX_BLOCKS, homeView, orderFor, standing } from '../../adapters/slack/home/home-view.ts';
import type { ManualTask } from '../../src/followup/task.ts';

const NOW = new Date('2026-11-02T10:00:00.000Z');

function task(n: number, over: Partial<ManualTask> = {}): ManualTask {
  const at = new Date(Date.UTC(2026, 10, 1, 9, 0, n)).toISOString();
  return {
    id: `item:icii${String(n).padStart(4, '0')}`,
    state: 'open',
    openedBy: `ev${n}`,
    openedAt: at,
    updatedAt: at,
    principal: { id: '00u1', name: 'Jane Doe', login: 'jane@example.com' },
    resource: { id: '0oa1', name: 'Salesforce', type: 'APPLICATION' },
    campaign: { id: 'icp1', name: 'Q4 review' },
    ...over,
  };
}

const claimedBy = (id: string, via: 'slack' | 'teams' = 'slack'): Partial<ManualTask> => ({ state: 'claimed', owner: { id, via, name: id.toLowerCase() }, ownedAt: '2026-11-01T10:00:00.000Z' });
const ids = (tasks: readonly ManualTask[]) => tasks.map((t) => t.id);
const words = (v: unknown) => JSON.stringify(v);

describe('Home view', () => {
  it('orders yours, unclaimed, others\', each oldest first, and leaves done tasks out', () => {
    const tasks = [task(1, claimedBy('U0BOB')), task(2), task(3, claimedBy('U0ALICE')), task(4, { state: 'done' }), task(5), task(0, claimedBy('U0ALICE'))];
    expect(ids(orderFor(tasks, 'U0ALICE'))).toEqual(['item:icii0000', 'item:icii0003', 'item:icii0002', 'item:icii0005', 'item:icii0001']);
    expect(ids(orderFor(tasks, 'U0BOB'))).toEqual(['item:icii0001', 'item:icii0002', 'item:icii0005', 'item:icii0000', 'item:icii0003']);
  });

  it('"yours" is the same person as the work queue decides it: same id and from Slack', () => {
    expect(standing(task(1, claimedBy('U0ALICE')), 'U0ALICE')).toBe('yours');
    // a Teams user whose AAD id happens to read the same is someone else
    expect(standing(task(1, claimedBy('U0ALICE', 'teams')), 'U0ALICE')).toBe('others');
    expect(standing(task(1), 'U0ALICE')).toBe('unclaimed');
  });

  it('keeps within 100 blocks and ends with how many more there are, pointing at /oig skipped', () => {
    const tasks = Array.from({ length: 120 }, (_, i) => task(i));
    const view = homeView(tasks, 'U0ALICE', { now: NOW, notice: 'You claimed this task.' });
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const shown = view.blocks.filter((b) => b.type === 'actions').length;
    expect(words(view.blocks.at(-1))).toContain(`${120 - shown} more: /oig skipped`);
    expect(shown).toBeGreaterThanOrEqual(45);
    // exactly as many as fit (three blocks above them, two each): 48 tasks and no "more" line
    const fits = homeView(tasks.slice(0, 48), 'U0ALICE', { now: NOW });
    expect(fits.blocks.filter((b) => b.type === 'actions')).toHaveLength(48);
    expect(words(fits.blocks)).not.toContain('more: /oig skipped');
    expect(fits.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
  });

  it('says there is nothing to do when no task is open', () => {
    const view = homeView([task(1, { state: 'done' })], 'U0ALICE', { now: NOW });
    expect(view.type).toBe('home');
    expect(words(view.blocks)).toContain('Nothing to do');
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows names from Okta as plain text on one line: no mention, link or extra line of our own', () => {
    const evil = task(1, {
      principal: { name: 'Eve <!channel>\n✅ Access approved', login: 'eve@example.com' },
      resource: { name: '<https://evil.example|Salesforce>\u202e', type: 'APPLICATION' },
    });
    const view = homeView([evil], 'U0ALICE', { now: NOW, notice: 'You are not allowed to act\u0007 here' });
    const sections = view.blocks.filter((b) => b.type === 'section') as Array<{ text: { type: string; text: string } }>;
    for (const s of sections) expect(s.text.type).toBe('plain_text');
    const row = sections.find((s) => s.text.text.includes('Eve'))!.text.text;
    expect(row.split('\n')[0]).toBe('Remove Eve <!channel> ✅ Access approved from <https://evil.example|Salesforce>');
    expect(words(view.blocks)).not.toContain('\\u0007');
    expect(words(view.blocks)).not.toContain('\u202e');
  });
});

describe('manifest.yml for the Home tab', () => {
  it('enables the Home tab, keeps the Messages tab, and subscribes to app_home_opened on /slack/events', async () => {
    const manifest = await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8');
    const live = manifest.split('\n').map((l) => l.replace(/(^|\s)#.*$/, '')).join('\n');
    expect(live).toMatch(/app_home:\n\s+home_tab_enabled: true\n\s+messages_tab_enabled: true\n\s+messages_tab_read_only_enabled: true/);
    expect(live).toMatch(/event_subscriptions:\n\s+request_url: https:\/\/YOUR-HOST\/slack\/events\n\s+bot_events:\n\s+- app_home_opened\n/);
  });
});
