/**
 * `/oig` end to end: signed slash commands and "more" clicks through the real Bolt app on the bot's
 * server, answered from a real store, against the fake Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decision } from '../helpers/records.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, postSlack, postSlashCommand, slackSignature, SIGNING_SECRET } from '../helpers/slack-requests.ts';
import { fixtureRecords, NOW } from '../commands/fixture-store.ts';
import { startCommandsBot, type CommandsBot } from '../commands/slack-commands-bot.ts';

interface Reply {
  response_type: string;
  text: string;
  blocks: Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>;
}

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

async function ask(text: string): Promise<{ reply: Reply; ms: number; status: number }> {
  const started = performance.now();
  const res = await postSlashCommand(running.url, text);
  const ms = performance.now() - started;
  return { reply: (await res.json()) as Reply, ms, status: res.status };
}

const moreButton = (r: Reply) => r.blocks.find((b) => b.type === 'actions')?.elements?.find((e) => e.action_id === 'oig_more');

function click(value: string, responseUrl: string): Promise<Response> {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: 'U0ALICE', username: 'alice', team_id: 'T0FAKE' },
    api_app_id: 'A0OIG',
    token: 'x',
    trigger_id: '1.2.3',
    channel: { id: 'C0CERT0001', name: 'oig' },
    container: { type: 'message', message_ts: '1.000001', channel_id: 'C0CERT0001', is_ephemeral: true },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: 'oig_more', block_id: 'm', value, action_ts: '1.2', text: { type: 'plain_text', text: 'More' } }],
  };
  return postSlack(running.url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

async function responseAt(name: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const found = fake.responses.find((r) => r.path.endsWith(`/${name}`));
    if (found) return found.body;
    if (Date.now() > deadline) throw new Error(`nothing was posted to the response URL ${name}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('/oig answers in the ack, privately, and says how many matched', () => {
  it.each([
    ['revokes', '48 matched'],
    ['revokes since 7d', 'REVOKE decisions (since 7d)'],
    ['campaign q2 access', 'Decisions: REVOKE 2, APPROVE 1'],
    ['user bob@example.com', '4 matched'],
    ['resource Salesforce', 'Decisions: REVOKE 47, APPROVE 1, KEEP 1'],
    ['requests open', 'Finance for Alice'],
    ['asa web', 'alice logged in to web-01'],
    ['skipped', '2 matched'],
    ['stats', 'Stored events: 61'],
  ])('/oig %s', async (text, expected) => {
    const { reply, ms, status } = await ask(text);
    expect(status).toBe(200);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(expected);
    expect(reply.text).toMatch(/\d+ (\w+ )*matched/);
    expect(ms).toBeLessThan(3000);
  });

  it('"did you mean" when several match', async () => {
    const { reply } = await ask('campaign q');
    expect(reply.text).toContain('did you mean');
  });

  it('a bad since is a clear message, not an error', async () => {
    const { reply, status } = await ask('revokes since whenever');
    expect(status).toBe(200);
    expect(reply.text).toContain('is not a period I understand');
  });

  it('escapes names from Okta in the answer', async () => {
    await running.bot.store.append([decision({ id: 'evil', item: 'EVIL', principal: { id: '00uevil', name: '<!channel> Mallory' }, at: NOW.toISOString() })]);
    const { reply } = await ask('user 00uevil');
    // the mrkdwn fallback escapes it; in the blocks it is plain_text, shown as written and never parsed
    expect(reply.text).toContain('&lt;!channel&gt; Mallory');
    expect(reply.text).not.toContain('<!channel>');
    const quoting = JSON.stringify(reply.blocks).match(/\{[^{}]*<!channel>[^{}]*\}/g) ?? [];
    expect(quoting.length).toBeGreaterThan(0);
    for (const t of quoting) expect(JSON.parse(t)).toMatchObject({ type: 'plain_text' });
  });
});

describe('paging with the more button', () => {
  it('the first page has 20 rows and a button; clicks bring the next pages in place', async () => {
    const { reply } = await ask('revokes campaign big one');
    expect(reply.text).toContain('45 matched · page 1 of 3');
    expect(reply.text).toContain('Person 0');
    expect(reply.text).not.toContain('Person 20');
    const button = moreButton(reply);
    expect(button?.value).toBeDefined();

    expect((await click(button!.value!, fake.responseUrl('page2'))).status).toBe(200);
    const page2 = (await responseAt('page2')) as unknown as Reply & { replace_original: boolean };
    expect(page2.replace_original).toBe(true);
    expect(page2.response_type).toBe('ephemeral');
    expect(page2.text).toContain('page 2 of 3');
    expect(page2.text).toContain('Person 20');
    expect(page2.text).not.toContain('Person 19\n');

    await click(moreButton(page2)!.value!, fake.responseUrl('page3'));
    const page3 = (await responseAt('page3')) as unknown as Reply;
    expect(page3.text).toContain('Person 44');
    expect(moreButton(page3)).toBeUndefined();
  });

  it('a forged button value is answered cleanly', async () => {
    expect((await click('{"t": 5}', fake.responseUrl('forged'))).status).toBe(200);
    expect(String((await responseAt('forged')).text)).toContain('not one I made');
  });
});

describe('requests that are not right are answered cleanly', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('unsigned: 401', async () => {
    const res = await fetch(`${running.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: commandBody('revokes') });
    expect(res.status).toBe(401);
  });

  it('malformed: 400, and the bot keeps answering', async () => {
    expect((await postSlack(running.url, '{"command": "/oig", ', { contentType: 'application/json' })).status).toBe(400);
    expect((await ask('stats')).status).toBe(200);
  });

  it('oversized: 413 (or the connection closed), and the bot keeps answering', async () => {
    const body = commandBody(`user ${'x'.repeat(1024 * 1024)}`);
    const timestamp = now();
    const res = await fetch(`${running.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body) },
      body,
    }).catch((e: unknown) => e as Error);
    if (res instanceof Response) expect(res.status).toBe(413);
    expect((await ask('stats')).status).toBe(200);
  });

  it('a long but allowed text answers with help, not an error', async () => {
    const { reply, status } = await ask(`${'zz'.repeat(2000)} more words`);
    expect(status).toBe(200);
    expect(reply.text).toContain('is not an oig command');
  });

  it('duplicate: the same signed request twice gets the same answer twice', async () => {
    const body = commandBody('revokes since 30d');
    const timestamp = now();
    const send = () => postSlack(running.url, body, { timestamp }).then(async (r) => [r.status, ((await r.json()) as Reply).text] as const);
    const [a, b] = await Promise.all([send(), send()]);
    expect(a[0]).toBe(200);
    expect(b).toEqual(a);
  });
});
