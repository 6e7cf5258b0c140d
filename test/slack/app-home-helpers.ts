/**
 * What the App Home tests send and read: `app_home_opened` as the Events API posts it (JSON, signed), a
 * button press from a Home tab (a block_actions payload with `view` and no response_url, as Slack sends
 * it), and the parts of a published Home view the tests look at.
 */
import { expect } from 'vitest';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { postSlack, type SignedOptions } from '../helpers/slack-requests.ts';

let events = 0;

/** the Events API body of app_home_opened; a given `eventId` repeats an event (a Slack retry) */
export function homeOpenedBody(user: string, o: { eventId?: string; tab?: string } = {}): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0FAKE',
    api_app_id: 'A0OIG',
    event: { type: 'app_home_opened', user, channel: `D0${user.slice(1)}`, tab: o.tab ?? 'home', event_ts: '1700000000.000100' },
    type: 'event_callback',
    event_id: o.eventId ?? `Ev0HOME${String(++events).padStart(6, '0')}`,
    event_time: 1700000000,
  });
}

export function openHome(base: string, user: string, o: { eventId?: string; tab?: string; headers?: SignedOptions } = {}): Promise<Response> {
  return postSlack(base, homeOpenedBody(user, o), { contentType: 'application/json', ...o.headers });
}

/** a press in the Home tab: `view` instead of `message`, no channel, no response_url */
export function homeClickBody(actionId: string, value: string, user: string): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0OIG',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: `V${user}` },
    trigger_id: '1.2.3',
    view: { id: `V${user}`, type: 'home', team_id: 'T0FAKE', blocks: [], private_metadata: '', callback_id: '', state: { values: {} }, hash: 'h', app_id: 'A0OIG', bot_id: 'B0BOT' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value, action_ts: '1700000001.000200', text: { type: 'plain_text', text: 'x' } }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export async function pressInHome(base: string, actionId: string, value: string, user: string): Promise<void> {
  const res = await postSlack(base, homeClickBody(actionId, value, user));
  expect(res.status).toBe(200);
}

export interface HomeBlock {
  type: string;
  text?: { type: string; text: string };
  elements?: Array<{ action_id?: string; value?: string; text?: string | { text: string } }>;
}

/** the latest view published for `user` */
export function homeOf(fake: FakeSlack, user: string): HomeBlock[] {
  const last = fake.publishes(user).at(-1);
  expect(last, `a views.publish for ${user}`).toBeDefined();
  return ((last!.body.view as { blocks: HomeBlock[] }).blocks);
}

/** the task ids of a view's buttons, in the order shown (one per task: the first button's value) */
export function taskOrder(blocks: readonly HomeBlock[]): string[] {
  return blocks.filter((b) => b.type === 'actions').map((b) => b.elements![0]!.value!);
}

/** the buttons of one task in a view */
export function buttonsOf(blocks: readonly HomeBlock[], taskId: string): string[] {
  const row = blocks.find((b) => b.type === 'actions' && b.elements![0]!.value === taskId);
  return row ? row.elements!.map((e) => e.action_id!) : [];
}

/** all the words of a view */
export function wordsOf(blocks: readonly HomeBlock[]): string {
  return JSON.stringify(blocks);
}
