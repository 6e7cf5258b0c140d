/** `/oig export …` end to end: the CSV goes up through Slack's external upload, whole and neutralized. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decision } from '../helpers/records.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, postSlack } from '../helpers/slack-requests.ts';
import { fixtureRecords, NOW } from '../commands/fixture-store.ts';
import { startCommandsBot, type CommandsBot } from '../commands/slack-commands-bot.ts';
import { readCsv } from '../helpers/read-csv.ts';

const big = Array.from({ length: 45 }, (_, i) =>
  decision({ id: `big-${i}`, item: `B${i}`, at: new Date(NOW.getTime() - i * 60_000).toISOString(), campaign: { id: 'icibig', name: 'Big one' }, principal: { id: `00ubig${i}`, name: `Person ${i}` } }));

let fake: FakeSlack;
let running: CommandsBot;

beforeAll(async () => {
  fake = await FakeSlack.start();
  running = await startCommandsBot(fake, [...fixtureRecords(), ...big]);
});
afterAll(async () => {
  await running.stop(true);
  await fake.close();
});

/** a signed /oig command whose response_url is the fake's, so what `respond` sends is seen */
const postSlashCommand = (base: string, text: string) => postSlack(base, commandBody(text, '/oig', { response_url: fake.responseUrl(`r-${text.replace(/\W+/g, '-')}`) }));

async function until<T>(find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const v = find();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('/oig export', () => {
  it('acks at once, uploads every row (not a page) to the channel, then says so', async () => {
    const res = await postSlashCommand(running.url, 'export revokes campaign big one');
    expect(res.status).toBe(200);
    const ack = (await res.json()) as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain('Preparing the CSV');

    const complete = await until(() => fake.calls.find((c) => c.method === 'files.completeUploadExternal' && c.status === 200 && !c.error));
    expect(complete.body.channel_id).toBe('C0CERT0001');
    const files = (typeof complete.body.files === 'string' ? JSON.parse(complete.body.files) : complete.body.files) as Array<{ id: string }>;
    const upload = fake.uploads.get(files[0]!.id)!;
    expect(upload.filename).toMatch(/^oig-revokes-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(upload.length).toBe(Buffer.byteLength(upload.content!));
    const rows = readCsv(upload.content!);
    expect(rows[0]).toEqual(['at', 'principal', 'login', 'resource', 'campaign', 'reviewer', 'notes', 'item', 'event id']);
    expect(rows).toHaveLength(46);
    expect(new Set(rows.slice(1).map((r) => r[7]))).toEqual(new Set(big.map((d) => d.item)));

    const told = await until(() => fake.responses.find((r) => String(r.body.text).includes('rows')));
    expect(String(told.body.text)).toContain('45 rows');
  });

  it('neutralizes a cell that a spreadsheet would run as a formula', async () => {
    const before = fake.uploads.size;
    await postSlashCommand(running.url, 'export user alice example');
    await until(() => (fake.uploads.size > before && [...fake.uploads.values()].at(-1)!.content !== undefined ? true : undefined));
    // the timeline has no notes; the revokes export carries the decision note "=HYPERLINK(...)"
    const before2 = fake.uploads.size;
    await postSlashCommand(running.url, 'export revokes campaign q2');
    const upload = await until(() => (fake.uploads.size > before2 ? [...fake.uploads.values()].at(-1)!.content : undefined));
    const rows = readCsv(upload);
    const alice = rows.find((r) => r[1] === 'Alice Example')!;
    expect(alice[6]).toBe('\'=HYPERLINK("http://evil")');
    expect(upload).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('tells the asker when Slack refuses the upload', async () => {
    fake.failToken('missing_scope');
    try {
      const n = fake.responses.length;
      await postSlashCommand(running.url, 'export stats');
      const told = await until(() => fake.responses.slice(n).find((r) => String(r.body.text).includes('Could not send')));
      expect(String(told.body.text)).toContain('files:write');
    } finally {
      fake.failToken(undefined);
    }
  });
});
