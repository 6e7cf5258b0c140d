/**
 * Issue 12 item 7 in Teams: a name from Okta with CR/LF, a bidi override and every kind of Markdown (and
 * Slack) syntax is shown as written — in TextRuns, which interpret no Markdown, or escaped in FactSet values
 * — with no extra line, no U+202E, and every letter still there. Unit tests on the renderers, then end to end:
 * a signed Okta hook and `oig user` through the real bot and botbuilder against the fake connector.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard, Fact } from '../../adapters/teams/render/adaptive-card-types.ts';
import { escapeMarkdown } from '../../adapters/teams/render/adaptive-text.ts';
import { renderAnswer } from '../../adapters/teams/render/render-answer.ts';
import { renderCard, renderPlainText } from '../../adapters/teams/render/render-card.ts';
import type { Card } from '../../src/cards/card.ts';
import { buildDecisionCard } from '../../src/cards/decision-card.ts';
import { pageOf } from '../../src/commands/answer.ts';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { decision } from '../helpers/records.ts';
import { postHook } from '../helpers/start-bot.ts';
import { ALICE, TEAM_ID, botAddedToTeam, personalMessage, postActivity } from '../helpers/teams-activities.ts';
import { cardViolations, elementsOf, runsOf, unescapedMarks } from './render/card-checks.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

/** every trick of the issue in one display name */
const NAME = 'Mallory\r\n✅ **Access approved** <at>Everyone</at> \u202Egpj.exe\u202C [click](https://evil.example) <https://evil.example|click> *x* _x_ ~~s~~ `code` # H\n> quoted\n- item\n1. one';
/** what a person must still read: the name on one line, every character but the layout ones */
const SHOWN = 'Mallory ✅ **Access approved** <at>Everyone</at> gpj.exe [click](https://evil.example) <https://evil.example|click> *x* _x_ ~~s~~ `code` # H > quoted - item 1. one';

const factsOf = (card: AdaptiveCard): Fact[] => elementsOf(card).flatMap((e) => (e.type === 'FactSet' ? e.facts : []));
/** what a fact value shows once Teams has read its backslash escapes */
const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

/** The name is inert everywhere in the card and still readable. */
function expectInert(card: AdaptiveCard): void {
  expect(cardViolations(card)).toEqual([]);
  const json = JSON.stringify(card);
  expect(json).not.toMatch(/[\u202A-\u202E\u2066-\u2069]|\\r/);
  // TextRuns interpret no Markdown: the name is there literally, one line, never a line of its own
  const runs = runsOf(card).map((r) => r.text);
  for (const r of runs) {
    expect(r).not.toContain('\n');
    expect(r).not.toMatch(/^\s*✅/);
  }
  // fact values are Markdown in Teams: every mark escaped, no line of its own
  for (const f of factsOf(card)) {
    expect(unescapedMarks(f.value)).toEqual([]);
    expect(f.value).not.toContain('\n');
  }
  // readable: somewhere the whole name is shown, as typed
  const shown = [...runs, ...factsOf(card).map((f) => unescape(f.value))];
  expect(shown.some((t) => t.includes(SHOWN))).toBe(true);
}

describe('Teams renderers: a hostile name is inert', () => {
  const card = buildDecisionCard(decision({ principal: { id: '00umal', name: NAME }, notes: '> Approved\r\n**really** [x](https://evil)\u202E' }));

  it('renderCard: title and notes as TextRuns, the Principal fact escaped, nothing live', () => {
    const adaptive = renderCard(card);
    expectInert(adaptive);
    const principal = factsOf(adaptive).find((f) => f.title === 'Principal')!;
    expect(principal.value).toBe(escapeMarkdown(SHOWN));
    expect(principal.value).toContain('\\*\\*Access approved\\*\\*');
    expect(principal.value).toContain('\\[click\\](https://evil.example)');
    expect(principal.value).toContain('\\<at\\>Everyone\\</at\\>');
    // the title run: literal, one line, bold by our choice (the run's weight), not by the name's stars
    expect(runsOf(adaptive)[0]).toMatchObject({ text: expect.stringContaining('Mallory ✅ **Access approved**'), weight: 'Bolder' });
    // a note keeps its own lines (free text), each a TextRun: shown as written
    expect(runsOf(adaptive).map((r) => r.text)).toEqual(expect.arrayContaining(['> Approved', '**really** [x](https://evil)']));
  });

  it('the notification summary is one plain line', () => {
    const summary = renderPlainText(card);
    expect(summary).not.toMatch(/[\r\n\u202E]/);
    expect(summary).toContain('Principal: Mallory ✅ **Access approved**');
  });

  it('links we build are Action.OpenUrl buttons (http/https only); no other link appears', () => {
    const withLinks: Card = {
      ...card,
      links: [
        { label: 'Open Mallory\r\n in the Okta Admin Console', url: 'https://acme-admin.okta.com/admin/user/profile/view/00umal' },
        { label: 'bad', url: 'javascript:alert(1)' },
      ],
    };
    const adaptive = renderCard(withLinks);
    expectInert(adaptive);
    const links = elementsOf(adaptive).flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));
    expect(links).toEqual([{ type: 'Action.OpenUrl', title: 'Open Mallory in the Okta Admin Console', url: 'https://acme-admin.okta.com/admin/user/profile/view/00umal' }]);
  });

  it('an oig answer row quoting the name is a literal TextRun', () => {
    const answer = { title: `Access of ${NAME}`, matched: 1, summary: [`Showing ${NAME}`], columns: [], rows: [{ line: `2024-05-02 · REVOKE · ${NAME}`, cells: [] }] };
    const adaptive = renderAnswer(pageOf(answer, 0), 'user Mallory');
    expectInert(adaptive);
    expect(runsOf(adaptive).map((r) => r.text)).toContain(`2024-05-02 · REVOKE · ${SHOWN}`);
  });

  it('the check fails on a fact that carries the name unescaped (it can fail)', () => {
    const adaptive = renderCard(card);
    const raw: AdaptiveCard = { ...adaptive, body: [...adaptive.body, { type: 'FactSet', facts: [{ title: 'Principal', value: NAME }] }] };
    expect(() => expectInert(raw)).toThrow();
  });
});

describe('end to end through the real bot and botbuilder, against the fake Teams connector', () => {
  let teams: FakeTeams;
  let running: TeamsBot | undefined;
  beforeEach(async () => {
    teams = await FakeTeams.start();
  });
  afterEach(async () => {
    await running?.stop(true);
    running = undefined;
    await teams.close();
  });

  it('a signed Okta hook with the hostile name posts a card that shows it inert, and oig user answers inert too', async () => {
    running = await startTeamsBot();
    expect((await postActivity(running.url, botAddedToTeam({ serviceUrl: teams.url }))).status).toBe(200);
    const res = await postHook(running.url, envelope([decideEvent({ item: 'iciiHostile01', principal: { id: '00umal', name: NAME, login: 'mallory@example.com' } })]));
    expect(res.status).toBe(200);
    const sent = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === TEAM_ID && JSON.stringify(s.activity).includes('Access certification decision'));
    const card = sent.activity.attachments![0]!.content as AdaptiveCard;
    expectInert(card);
    expect(factsOf(card).find((f) => f.title === 'Principal')?.value).toBe(escapeMarkdown(`${SHOWN} (mallory@example.com)`));
    // the notification line: plain, one line
    expect(String(sent.activity.summary)).not.toMatch(/[\r\n\u202E]/);
    expect(String(sent.activity.summary)).toContain('Mallory ✅ **Access approved**');

    await running.bot.idle();
    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'oig user Mallory', from: ALICE }));
    const answer = teams.sent().at(-1)!.activity.attachments![0]!.content as AdaptiveCard;
    expect(JSON.stringify(answer)).toContain('1 matched');
    expectInert(answer);
  });
});
