import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, postSlack, postSlashCommand, slackSignature, SIGNING_SECRET } from '../helpers/slack-requests.ts';
import { startSlackBot, type SlackBot } from './slack-bot.ts';

let fake: FakeSlack;
let running: SlackBot;

beforeAll(async () => {
  fake = await FakeSlack.start();
  running = await startSlackBot(fake);
});
afterAll(async () => {
  await running.stop(true);
  await fake.close();
});

const now = () => Math.floor(Date.now() / 1000);

interface Reply {
  response_type: string;
  text: string;
  blocks: unknown[];
}

describe('POST /slack/events: /oig through the real Bolt app on the bot server', () => {
  it('answers /oig help privately, at once', async () => {
    const started = Date.now();
    const res = await postSlashCommand(running.url, 'help');
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    const reply = (await res.json()) as Reply;
    expect(reply.response_type).toBe('ephemeral');
    for (const word of ['/oig revokes', '/oig skipped', '/oig campaign', '/oig user', '/oig resource', '/oig requests', '/oig asa', '/oig stats', '/oig export']) {
      expect(reply.text).toContain(word);
    }
    expect(took).toBeLessThan(3000); // Slack's limit; in practice a few ms
  });

  it('answers unknown words with the help too, naming the word', async () => {
    const reply = (await (await postSlashCommand(running.url, 'frobnicate since 7d')).json()) as Reply;
    expect(reply.response_type).toBe('ephemeral');
    // in the blocks as written (plain_text); the mrkdwn fallback neutralises the backticks it quotes
    expect(JSON.stringify(reply.blocks)).toContain('“frobnicate” is not an oig command');
    expect(reply.text).toContain('frobnicate');
    expect(reply.text).toContain('/oig help');
  });

  it('escapes what the user typed when it echoes it', async () => {
    const reply = (await (await postSlashCommand(running.url, '<!channel>')).json()) as Reply;
    expect(reply.text).toContain('&lt;!channel&gt;');
    expect(reply.text).not.toContain('<!channel>');
  });

  it('refuses a bad signature with 401', async () => {
    const res = await postSlashCommand(running.url, 'help', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' });
    expect(res.status).toBe(401);
  });

  it('refuses a request signed with another secret with 401', async () => {
    expect((await postSlashCommand(running.url, 'help', { secret: 'another-secret-entirely-000000' })).status).toBe(401);
  });

  it('refuses a stale timestamp (more than 5 minutes old) with 401', async () => {
    expect((await postSlashCommand(running.url, 'help', { timestamp: now() - 6 * 60 })).status).toBe(401);
  });

  it('refuses a future timestamp (more than 5 minutes ahead) with 401, though correctly signed', async () => {
    expect((await postSlashCommand(running.url, 'help', { timestamp: now() + 6 * 60 })).status).toBe(401);
    // a little ahead (clock skew) is fine
    expect((await postSlashCommand(running.url, 'help', { timestamp: now() + 60 })).status).toBe(200);
  });

  it('refuses missing signature headers with 401', async () => {
    const res = await fetch(`${running.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: commandBody('help'),
    });
    expect(res.status).toBe(401);
  });

  it('accepts a form content type with a charset parameter', async () => {
    const res = await postSlashCommand(running.url, 'help', { contentType: 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Reply).response_type).toBe('ephemeral');
  });

  it('refuses a signed but malformed body with 400', async () => {
    expect((await postSlack(running.url, '{"type": "block_actions", ', { contentType: 'application/json' })).status).toBe(400);
    expect((await postSlack(running.url, 'payload=%7Bnot-json')).status).toBe(400);
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const big = `text=${'a'.repeat(1024 * 1024 + 10)}`;
    const timestamp = now();
    const res = await fetch(`${running.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, big),
      },
      body: big,
    }).catch((e: unknown) => e as Error);
    // the server answers 413 (or, having refused to read the rest, closes the connection)
    if (res instanceof Response) expect(res.status).toBe(413);
    expect((await postSlashCommand(running.url, 'help')).status).toBe(200);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });

  it('acknowledges a manual-remediation button press (handlers come with the follow-up issue)', async () => {
    const payload = {
      type: 'block_actions',
      team: { id: 'T0FAKE', domain: 'fake' },
      user: { id: 'U0ALICE', username: 'alice', team_id: 'T0FAKE' },
      api_app_id: 'A0OIG',
      token: 'x',
      trigger_id: '1.2.3',
      channel: { id: 'C0MANUAL01', name: 'oig-manual' },
      container: { type: 'message', message_ts: '1.000001', channel_id: 'C0MANUAL01', is_ephemeral: false },
      response_url: 'https://hooks.slack.invalid/actions/1',
      actions: [{ type: 'button', action_id: 'oig_manual_claim', block_id: 'b1', value: 'item:icii1', action_ts: '1.2', text: { type: 'plain_text', text: 'Claim' } }],
    };
    const res = await postSlack(running.url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(res.status).toBe(200);
  });

  it('is only on POST', async () => {
    expect((await fetch(`${running.url}/slack/events`)).status).toBe(405);
  });
});
