import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { CERT, MANUAL, startSlackBot, textOf, type SlackBot } from './slack-bot.ts';

let fake: FakeSlack;
let running: SlackBot | undefined;

beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await running?.stop(true);
  running = undefined;
  await fake.close();
});

describe('Slack delivery, end to end (real Bot, real Bolt, fake Slack Web API)', () => {
  it('posts a REVOKE decision to the certification channel with its blocks', async () => {
    running = await startSlackBot(fake);
    const item = 'iciiRevoke0001';
    expect((await postHook(running.url, envelope([decideEvent({ item, notes: 'Left the team' })]))).status).toBe(200);
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    const post = fake.posts()[0]!;
    expect(post.channel).toBe(CERT);
    expect(post.body.text).toContain('Access revoked: Jane Doe · Salesforce');
    const blocks = post.body.blocks as Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }> }>;
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '⚠️ Access revoked: Jane Doe · Salesforce', emoji: false } });
    // label (ours, bold mrkdwn) beside value (Okta's, plain_text): pairs of fields
    const fields = blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
    for (const [label, value] of [
      ['*Principal*', 'Jane Doe (jane.doe@example.com)'],
      ['*Resource*', 'Salesforce (APPLICATION)'],
      ['*Campaign*', 'Q3 Access Review'],
      ['*Reviewer*', 'Rita Reviewer (rita.reviewer@example.com)'],
    ]) expect(fields[fields.indexOf(label!) + 1]).toBe(value);
    expect(textOf(post.body)).toContain('Left the team');
    expect(post.body.unfurl_links).toBe('false');
    // counted once Slack accepted it, under the slack sink
    await eventually(async () => expect(await running!.bot.metrics.registry.getSingleMetricAsString('oig_cards_posted_total')).toContain('sink="slack"} 1'));
  });

  it('puts the remediation in the decision thread and updates the decision card in place', async () => {
    running = await startSlackBot(fake);
    const item = 'iciiThread0001';
    await postHook(running.url, envelope([decideEvent({ item })]));
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    const parent = fake.posts()[0]!;
    const parentTs = fake.messages.get([...fake.messages.keys()][0]!)!.ts;

    await postHook(running.url, envelope([remediateEvent({ item, outcome: 'SUCCESS' })]));
    await eventually(() => {
      expect(fake.posts()).toHaveLength(2);
      expect(fake.updates()).toHaveLength(1);
    });
    const reply = fake.posts()[1]!;
    expect(reply.channel).toBe(CERT);
    expect(reply.body.thread_ts).toBe(parentTs);
    expect(reply.body.text).toContain('Remediation SUCCESS');
    const edit = fake.updates()[0]!;
    expect(edit.body).toMatchObject({ channel: CERT, ts: parentTs });
    expect(textOf(edit.body)).toContain('SUCCESS — access removed');
    expect(textOf(parent.body)).not.toContain('access removed');
  });

  it('sends a SKIPPED remediation as a manual-remediation card with buttons to the MANUAL channel', async () => {
    running = await startSlackBot(fake);
    const item = 'iciiSkipped001';
    await postHook(running.url, envelope([decideEvent({ item }), remediateEvent({ item, outcome: 'SKIPPED' })]));
    await eventually(() => expect(fake.posts(MANUAL)).toHaveLength(1));
    const blocks = fake.posts(MANUAL)[0]!.body.blocks as Array<{ type: string; elements?: Array<Record<string, unknown>> }>;
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      ['oig_manual_claim', `item:${item}`],
      ['oig_manual_done', `item:${item}`],
      ['oig_manual_verify', `item:${item}`],
    ]);
  });

  it('shows Okta text as written so a note can neither ping the channel nor hide a link', async () => {
    running = await startSlackBot(fake);
    const notes = 'ping <!channel> and see <https://x|y> & <@U123>';
    await postHook(running.url, envelope([decideEvent({ notes, principal: { id: '00u1', name: 'Eve <!here>', login: 'eve@example.com' } })]));
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    const body = fake.posts()[0]!.body;
    // the fallback text is mrkdwn: escaped
    expect(String(body.text)).toContain('Eve &lt;!here&gt;');
    expect(String(body.text)).not.toMatch(/<!channel>|<!here>|<https:\/\/x\|y>|<@U123>/);
    // in the blocks, every text that quotes Okta data is plain_text, which Slack shows as typed and never
    // parses for mentions or links; no mrkdwn text carries any of it
    const texts = JSON.stringify(body.blocks).match(/\{"type":"(?:plain_text|mrkdwn)"[^{}]*\}|\{[^{}]*"type":"(?:plain_text|mrkdwn)"[^{}]*\}/g) ?? [];
    const quoting = texts.map((t) => JSON.parse(t) as { type: string; text: string }).filter((t) => /<!channel>|<!here>|<https:|<@U123>/.test(t.text));
    expect(quoting.map((t) => t.text)).toEqual(expect.arrayContaining(['⚠️ Access revoked: Eve <!here> · Salesforce', notes]));
    for (const t of quoting) expect(t.type).toBe('plain_text');
  });

  it('posts nothing twice when Okta delivers the same events again', async () => {
    running = await startSlackBot(fake);
    const event = decideEvent({ item: 'iciiDup0000001' });
    const delivery = envelope([event]);
    await postHook(running.url, delivery);
    await postHook(running.url, delivery); // Okta's retry: same envelope
    await postHook(running.url, envelope([event])); // same event in another envelope
    await running.bot.idle();
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.writeCalls()).toHaveLength(1);
  });
});
