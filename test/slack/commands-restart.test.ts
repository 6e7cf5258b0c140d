/** `/oig` answers come from the store on disk: a restart on the same DATA_DIR gives the same answers. */
import { afterAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { postSlashCommand } from '../helpers/slack-requests.ts';
import { fixtureRecords } from '../commands/fixture-store.ts';
import { startCommandsBot } from '../commands/slack-commands-bot.ts';

let dataDir = '';
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const texts = ['revokes', 'campaign q2', 'user bob builder', 'resource salesforce', 'requests', 'asa'];

async function answers(url: string): Promise<string[]> {
  return Promise.all(texts.map(async (t) => ((await (await postSlashCommand(url, t)).json()) as { text: string }).text));
}

describe('answers survive a restart', () => {
  it('same DATA_DIR, same answers', async () => {
    const fake = await FakeSlack.start();
    try {
      const first = await startCommandsBot(fake, fixtureRecords());
      dataDir = first.dataDir;
      const before = await answers(first.url);
      expect(before[0]).toContain('3 matched');
      await first.stop();
      const second = await startCommandsBot(fake, [], dataDir);
      try {
        expect(await answers(second.url)).toEqual(before);
      } finally {
        await second.stop();
      }
    } finally {
      await fake.close();
    }
  });
});
