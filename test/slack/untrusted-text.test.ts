/**
 * Issue 12 item 7 in Slack: a name from Okta with CR/LF, a bidi override and every kind of mrkdwn syntax
 * is shown as written — no extra line, no U+202E, nothing bold, linked or mentioned — and stays readable.
 * Unit tests on the renderers, then end to end: a signed Okta hook and `/oig user` through the real bot and
 * Bolt against the fake Slack Web API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPage } from '../../adapters/slack/commands/oig-command.ts';
import { linkText } from '../../adapters/slack/render/blocks.ts';
import { neutralClipped, neutralMrkdwn } from '../../adapters/slack/render/mrkdwn.ts';
import { renderCard, renderPlain } from '../../adapters/slack/render/render-card.ts';
import type { Card } from '../../src/cards/card.ts';
import { buildDecisionCard } from '../../src/cards/decision-card.ts';
import { pageOf } from '../../src/commands/answer.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { decision } from '../helpers/records.ts';
import { postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { startSlackBot, type SlackBot } from './slack-bot.ts';

/** every trick of the issue in one display name */
const NAME = 'Mallory\r\n✅ *Access approved* <!channel> <@U0BOSS> \u202Egpj.exe\u202C <https://evil.example|click> [click](https://evil.example) **bold** _x_ ~s~ `code`\n> quoted';
/** what a person must still be able to read: the name, one line, every character but the layout ones */
const SHOWN = 'Mallory ✅ *Access approved* <!channel> <@U0BOSS> gpj.exe <https://evil.example|click> [click](https://evil.example) **bold** _x_ ~s~ `code` > quoted';

interface TextObject {
  type: string;
  text: string;
  emoji?: boolean;
  verbatim?: boolean;
}

/** every text object of a message's blocks (header, fields, sections, context elements, button labels) */
function textObjects(blocks: unknown): TextObject[] {
  const out: TextObject[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'plain_text' || o.type === 'mrkdwn') && typeof o.text === 'string') out.push(o as unknown as TextObject);
      else Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

/** a mark that Slack could read as formatting: not between two letters or digits */
const LIVE_MARK = /(^|[^\p{L}\p{N}])[*_~`]|[*_~`]([^\p{L}\p{N}]|$)/u;

/** what a mrkdwn text must never hold once it quotes Okta data */
function liveMrkdwn(text: string): string[] {
  const bad: string[] = [];
  if (/<(?!https?:\/\/[^|>]*\|[^>]*>)/.test(text)) bad.push('a < that is not a link we built');
  if (/<!channel>|<!here>|<@U|<https:\/\/evil/.test(text)) bad.push('mention or hidden link');
  if (/^\s*(>|&gt;)/m.test(text)) bad.push('a line starting with a quote');
  if (/[\r\u202A-\u202E\u2066-\u2069]/.test(text)) bad.push('CR or bidi control');
  return bad;
}

/** Checks a rendered card message: the name shown literally in plain_text, nothing live in mrkdwn. */
function expectInert(message: { text: string; blocks: unknown }): void {
  const json = JSON.stringify(message);
  expect(json).not.toMatch(/[\u202A-\u202E\u2066-\u2069]|\\r/);
  const texts = textObjects(message.blocks);
  for (const t of texts) {
    if (t.type === 'mrkdwn') {
      // our own words only: a bold label, a link we built; the name never reaches mrkdwn
      expect(t.text).not.toContain('Mallory');
      expect(liveMrkdwn(t.text)).toEqual([]);
    }
    // no text carries a line of the name's own ("✅ *Access approved*" on a line of its own)
    expect(t.text).not.toMatch(/(^|\n)\s*✅/);
  }
  const quoting = texts.filter((t) => t.text.includes('Mallory'));
  expect(quoting.length).toBeGreaterThan(0);
  for (const t of quoting) {
    expect(t.type).toBe('plain_text');
    expect(t).toMatchObject({ emoji: false });
    expect(t.text).not.toContain('\n');
    // readable: the name is there as typed, on one line (a title may cut it short with "…")
    if (!t.text.includes('Mallory ✅')) continue; // the words typed ("closest to “Mallory”")
    const visible = t.text.slice(t.text.indexOf('Mallory ✅')).split('…')[0]!;
    expect(SHOWN.startsWith(visible) || visible.startsWith(SHOWN), t.text).toBe(true);
  }
  // and somewhere (the Principal fact, the answer row) whole
  expect(quoting.some((t) => t.text.includes(SHOWN))).toBe(true);
  // the notification line is mrkdwn: everything live in it is neutralised, the words are still there
  expect(liveMrkdwn(message.text)).toEqual([]);
  expect(message.text).not.toMatch(LIVE_MARK);
  for (const word of ['Mallory', 'Access approved', 'gpj.exe', 'click', 'bold', 'quoted']) expect(message.text).toContain(word);
}

describe('neutralMrkdwn', () => {
  it.each([
    ['*bold*', '\u2217bold\u2217'],
    ['**bold**', '\u2217\u2217bold\u2217\u2217'],
    ['_x_ ~s~ `c`', '\u02cdx\u02cd \u223cs\u223c \u02cbc\u02cb'],
    ['<!channel> <@U1> <https://evil|click>', '&lt;!channel&gt; &lt;@U1&gt; &lt;https://evil|click&gt;'],
    ['R&D', 'R&amp;D'],
    ['> quoted\n  > again', '\u00ad&gt; quoted\n  \u00ad&gt; again'],
    [':white_check_mark: done at 09:30:00', '\u2236white_check_mark\u2236 done at 09:30:00'],
    ['a\r\nb\u202Ec', 'a\nbc'],
  ])('%j → %j', (raw, shown) => {
    expect(neutralMrkdwn(raw)).toBe(shown);
  });

  it('clips after neutralising, never inside an entity, on one line', () => {
    expect(neutralClipped('&&&&&&', 12)).toBe('&amp;&amp;…');
    expect(neutralClipped('a\r\n*b*', 100)).toBe('a \u2217b\u2217');
    expect(neutralClipped('<'.repeat(50), 20)).toMatch(/^(&lt;)+…$/);
  });

  it('keeps marks that cannot format: inside words, so logins and group names stay as typed', () => {
    expect(neutralMrkdwn('aws_prod_admins jane_doe@example.com a*b 2~3')).toBe('aws_prod_admins jane_doe@example.com a*b 2~3');
  });
});

describe('Slack renderers: a hostile name is inert', () => {
  const card = buildDecisionCard(decision({ principal: { id: '00umal', name: NAME }, notes: '> Approved\r\n*really* <!channel>\u202E' }));

  it('renderCard: title, fact and note as plain_text, one line each for the name; fallback neutralised', () => {
    const m = renderCard(card);
    expectInert(m);
    // a note is free text: it keeps its own line break, but it is plain_text, so nothing in it is live
    const note = textObjects(m.blocks).find((t) => t.text.startsWith('> Approved'));
    expect(note).toEqual({ type: 'plain_text', text: '> Approved\n*really* <!channel>', emoji: false });
  });

  it('renderPlain (the text-only fallback after invalid_blocks) is neutralised line by line', () => {
    const m = renderPlain(card);
    expect(m.blocks).toEqual([]);
    expect(liveMrkdwn(m.text)).toEqual([]);
    expect(m.text.split('\n').filter((l) => l.includes('Mallory')).every((l) => !LIVE_MARK.test(l.replace(/^\*[^*]+:\* /, '')))).toBe(true);
    expect(m.text).toContain('*Principal:* Mallory ✅ \u2217Access approved\u2217');
  });

  it('links we build are the only links: http(s) only, with the words neutralised', () => {
    expect(linkText({ label: 'Open *Finance* in the Okta Admin Console', url: 'https://acme-admin.okta.com/admin/group/00g1' }))
      .toBe('<https://acme-admin.okta.com/admin/group/00g1|Open \u2217Finance\u2217 in the Okta Admin Console>');
    expect(linkText({ label: 'x', url: 'https://a.example/p?q=a|b>c' })).toBe('<https://a.example/p?q=a%7Cb%3Ec|x>');
    expect(linkText({ label: 'x', url: 'javascript:alert(1)' })).toBeUndefined();
    expect(linkText({ label: 'x', url: 'not a url' })).toBeUndefined();
    const withLink: Card = { ...card, links: [{ label: 'Open Mallory in Okta', url: 'https://acme-admin.okta.com/admin/user/profile/view/00umal' }] };
    const link = textObjects(renderCard(withLink).blocks).find((t) => t.text.includes('acme-admin'));
    expect(link).toEqual({ type: 'mrkdwn', text: '<https://acme-admin.okta.com/admin/user/profile/view/00umal|Open Mallory in Okta>', verbatim: true });
  });

  it('an /oig answer row quoting the name is plain_text; the fallback is neutralised', () => {
    const answer = { title: `Access of ${NAME}`, matched: 1, summary: [`Showing ${NAME}`], columns: [], rows: [{ line: `2024-05-02 · REVOKE · ${NAME}`, cells: [] }] };
    const reply = renderPage(pageOf(answer, 0), 'user Mallory');
    expectInert(reply);
  });

  it('fails when untrusted text reaches mrkdwn (the check can fail)', () => {
    const unsafe = { text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${NAME}*`, verbatim: true } }] };
    expect(() => expectInert(unsafe)).toThrow();
    expect(() => expectInert({ ...renderCard(card), text: NAME })).toThrow();
  });
});

describe('end to end through the real bot and Bolt, against the fake Slack', () => {
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

  it('a signed Okta hook with the hostile name posts a card that shows it inert, and /oig user answers inert too', async () => {
    running = await startSlackBot(fake);
    const res = await postHook(running.url, envelope([decideEvent({ item: 'iciiHostile01', principal: { id: '00umal', name: NAME, login: 'mallory@example.com' } })]));
    expect(res.status).toBe(200);
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    const post = fake.posts()[0]!.body as { text: string; blocks: unknown };
    expectInert(post);
    expect(post.text).toContain('Access revoked: Mallory ✅ \u2217Access approved\u2217');
    const header = (post.blocks as Array<{ type: string; text: TextObject }>)[0]!;
    // the title quotes the name cut to 100 characters, then the resource: one line, nothing lost but the cut
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: `⚠️ Access revoked: ${SHOWN.slice(0, 99)}… · Salesforce`, emoji: false } });

    const reply = (await (await postSlashCommand(running.url, 'user Mallory')).json()) as { text: string; blocks: unknown };
    expect(reply.text).toContain('1 matched');
    expectInert(reply);
    // the row is the one line of the answer that names her
    const rows = textObjects(reply.blocks).filter((t) => t.text.includes('Mallory'));
    expect(rows.some((t) => t.text.includes(`REVOKE`) || t.text.includes('Salesforce'))).toBe(true);
  });
});
