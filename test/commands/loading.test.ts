import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPage } from '../../adapters/slack/commands/oig-command.ts';
import { renderAnswer } from '../../adapters/teams/render/render-answer.ts';
import { chatCommand } from '../../src/commands/engine.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { decision } from '../helpers/records.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** a real store that loads its records after open() (issue 13 fast start), opened again on 20000 records */
async function loadingStore(): Promise<LowdbEventStore> {
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  const options = { dataDir, retentionDays: 36500, checkpointMs: 3_600_000, backgroundLoadFrom: 0 };
  const first = new LowdbEventStore(options);
  await first.open();
  await first.append(Array.from({ length: 20_000 }, (_, i) => decision({ id: randomUUID(), item: `I${i}`, at: '2026-11-20T10:00:00.000Z' })));
  await first.close();
  const store = new LowdbEventStore(options);
  await store.open();
  return store;
}

describe('/oig while the store still loads', () => {
  it('answers "still loading, N%" in both chats instead of an answer from part of the events', async () => {
    const store = await loadingStore();
    const deps = { store };
    const page = chatCommand('revokes', deps).page();
    expect(store.loadProgress()).toBeDefined();
    expect(page.answer.title).toBe('Still loading');
    expect(page.answer.notice).toMatch(/^The bot has just started and is still loading, \d{1,2}% \(\d+ of 20000 stored events\)\./);
    const slack = JSON.stringify(renderPage(page, 'revokes'));
    const teams = JSON.stringify(renderAnswer(page, 'revokes'));
    for (const shown of [slack, teams]) {
      expect(shown).toMatch(/still loading, \d{1,2}%/);
      expect(shown).toContain('No answer yet: the stored events are still loading.');
      expect(shown).not.toContain('0 matched');
    }
    // no export of half the events
    expect(chatCommand('export revokes', deps).csv).toBeUndefined();
    // the status says how far it is; the help needs no events
    expect(chatCommand('stats', deps).page().answer.notice).toMatch(/Loading: still loading, \d{1,2}%/);
    expect(chatCommand('help', deps).page().answer.title).not.toBe('Still loading');

    await store.whenLoaded();
    const loaded = chatCommand('revokes', deps).page();
    expect(loaded.answer.title).not.toBe('Still loading');
    expect(loaded.answer.matched).toBe(20_000);
    expect(chatCommand('export revokes', deps).csv).toBeDefined();
    expect(chatCommand('stats', deps).page().answer.notice ?? '').not.toMatch(/Loading/);
    await store.close();
  });
});
