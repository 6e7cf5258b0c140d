/**
 * Builders of the activities Microsoft Teams posts to a bot's messaging endpoint, shaped like the payloads
 * in Microsoft's Teams bot documentation (conversation events, channel and personal messages, Universal
 * Action invokes), and `postActivity` to send one to the bot under test. Plain objects with their own small
 * types, so tests do not depend on botbuilder's.
 *
 *   const added = botAddedToTeam({ serviceUrl: teams.url });
 *   await postActivity(bot.url, added);
 *   await postActivity(bot.url, channelMessage({ serviceUrl: teams.url, text: 'oig revokes', from: ALICE }));
 *   const { status, body } = await postActivity(bot.url, adaptiveCardAction({ …, verb: 'claim', replyToId }));
 *
 * Teams ids: bots are `28:<app id>`, users `29:…` (plus their AAD object id), channels and teams
 * `19:…@thread.tacv2` (a team's id is also its General channel's), a thread under a channel post
 * `19:…@thread.tacv2;messageid=<post id>`, a personal chat `a:…`, message ids numeric strings.
 */
import { threadConversationId } from './fake-teams.ts';

export interface TeamsAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: 'user' | 'bot';
}

export interface TeamsConversation {
  id: string;
  conversationType: 'personal' | 'channel' | 'groupChat';
  tenantId: string;
  isGroup?: boolean;
  name?: string;
}

export interface TeamsEntity {
  type: string;
  [key: string]: unknown;
}

export interface TeamsChannelData {
  eventType?: string;
  team?: { id: string; name?: string; aadGroupId?: string };
  channel?: { id: string; name?: string };
  teamsTeamId?: string;
  teamsChannelId?: string;
  tenant: { id: string };
  settings?: { selectedChannel?: { id: string } };
  [key: string]: unknown;
}

export interface TeamsActivity {
  type: 'message' | 'conversationUpdate' | 'invoke' | 'installationUpdate';
  id: string;
  timestamp: string;
  localTimestamp: string;
  channelId: 'msteams';
  serviceUrl: string;
  from: TeamsAccount;
  recipient: TeamsAccount;
  conversation: TeamsConversation;
  channelData: TeamsChannelData;
  locale?: string;
  text?: string;
  textFormat?: 'plain' | 'markdown' | 'xml';
  entities?: TeamsEntity[];
  attachments?: Array<{ contentType: string; content: unknown }>;
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
  name?: string;
  value?: unknown;
  replyToId?: string;
}

export const TENANT_ID = '8c2f1a4e-6b3d-4e5f-9a7b-1c2d3e4f5a6b';
export const BOT_ID = '28:3f6c9b2e-1d4a-4c8e-9f7b-2a5d8e1c4b7f';
export const BOT_NAME = 'OIG';
export const TEAM_ID = '19:Kx3hQ7vN2pLmR8sT4wYz6bC1dF5gH9jK0aE@thread.tacv2';
export const TEAM_NAME = 'Security Operations';
/** a channel other than General */
export const CHANNEL_ID = '19:9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a@thread.tacv2';

/** a Teams user: `29:` id, display name and AAD object id */
export function teamsUser(name: string, aadObjectId: string, id = `29:1${Buffer.from(aadObjectId).toString('base64url')}`): Required<Omit<TeamsAccount, 'role'>> {
  return { id, name, aadObjectId };
}

export const ALICE = teamsUser('Alice Admin', '6a1b2c3d-0000-4000-8000-00000000a11c');
export const BOB = teamsUser('Bob Builder', '6a1b2c3d-0000-4000-8000-000000000b0b');

let seq = 1_710_000_000_000;
/** numeric, like Teams message ids; distinct from the fake connector's range */
export function nextActivityId(): string {
  return String(++seq);
}

interface Common {
  serviceUrl: string;
  botId?: string;
  botName?: string;
  tenantId?: string;
}

function base(o: Common, type: TeamsActivity['type'], from: TeamsAccount, conversation: TeamsConversation, channelData: TeamsChannelData, id = nextActivityId()): TeamsActivity {
  const now = new Date();
  return {
    type,
    id,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from,
    recipient: { id: o.botId ?? BOT_ID, name: o.botName ?? BOT_NAME },
    conversation,
    channelData,
    locale: 'en-US',
  };
}

interface TeamEventOptions extends Common {
  teamId?: string;
  teamName?: string;
  /** the channel the installer chose; the General channel (the team's id) by default */
  channelId?: string;
  /** who added or removed the bot */
  from?: TeamsAccount;
}

function teamEvent(o: TeamEventOptions, eventType: 'teamMemberAdded' | 'teamMemberRemoved'): TeamsActivity {
  const tenantId = o.tenantId ?? TENANT_ID;
  const teamId = o.teamId ?? TEAM_ID;
  const channelId = o.channelId ?? teamId;
  const conversation: TeamsConversation = { id: channelId, conversationType: 'channel', tenantId, isGroup: true };
  const team = { id: teamId, name: o.teamName ?? TEAM_NAME, aadGroupId: '0b5c7d9e-2f4a-4b6c-8d0e-1f3a5b7c9d2e' };
  const channelData: TeamsChannelData = { eventType, team, channel: { id: channelId }, tenant: { id: tenantId }, settings: { selectedChannel: { id: channelId } } };
  // Teams gives conversation events ids of the form f:<digits>
  return base(o, 'conversationUpdate', o.from ?? ALICE, conversation, channelData, `f:${nextActivityId()}`);
}

/** the bot was added to a team (Teams sends conversationUpdate with the bot in membersAdded) */
export function botAddedToTeam(o: TeamEventOptions): TeamsActivity {
  return { ...teamEvent(o, 'teamMemberAdded'), membersAdded: [{ id: o.botId ?? BOT_ID }] };
}

/** the bot was removed from a team */
export function botRemovedFromTeam(o: TeamEventOptions): TeamsActivity {
  return { ...teamEvent(o, 'teamMemberRemoved'), membersRemoved: [{ id: o.botId ?? BOT_ID }] };
}

function mentionEntity(botId: string, botName: string): TeamsEntity {
  return { type: 'mention', mentioned: { id: botId, name: botName }, text: `<at>${botName}</at>` };
}

const CLIENT_INFO: TeamsEntity = { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/London' };

export interface ChannelMessageOptions extends Common {
  text: string;
  from: TeamsAccount;
  /** the channel; CHANNEL_ID by default */
  conversationId?: string;
  teamId?: string;
  /** post into the thread under this channel message id (conversation id `…;messageid=N`) */
  threadId?: string;
  /** Teams only delivers channel messages that @mention the bot; false builds one that does not */
  mention?: boolean;
  id?: string;
}

/** a message in a team channel: `<at>OIG</at> oig revokes` with the mention entity */
export function channelMessage(o: ChannelMessageOptions): TeamsActivity {
  const tenantId = o.tenantId ?? TENANT_ID;
  const botId = o.botId ?? BOT_ID;
  const botName = o.botName ?? BOT_NAME;
  const channelId = o.conversationId ?? CHANNEL_ID;
  const teamId = o.teamId ?? TEAM_ID;
  const conversation: TeamsConversation = {
    id: o.threadId ? threadConversationId(channelId, o.threadId) : channelId,
    conversationType: 'channel',
    tenantId,
    isGroup: true,
  };
  const channelData: TeamsChannelData = { teamsChannelId: channelId, teamsTeamId: teamId, channel: { id: channelId }, team: { id: teamId }, tenant: { id: tenantId } };
  const mention = o.mention ?? true;
  const text = mention ? `<at>${botName}</at> ${o.text}` : o.text;
  return {
    ...base(o, 'message', o.from, conversation, channelData, o.id),
    text,
    textFormat: 'plain',
    entities: mention ? [mentionEntity(botId, botName), CLIENT_INFO] : [CLIENT_INFO],
    attachments: [{ contentType: 'text/html', content: `<p>${text}</p>` }],
  };
}

export interface PersonalMessageOptions extends Common {
  text: string;
  from: TeamsAccount;
  /** the 1:1 chat's id (`a:…`); one derived from the user by default */
  conversationId?: string;
  id?: string;
}

/** a message in the 1:1 chat with the bot: no mention needed */
export function personalMessage(o: PersonalMessageOptions): TeamsActivity {
  const tenantId = o.tenantId ?? TENANT_ID;
  const conversation: TeamsConversation = { id: o.conversationId ?? personalConversationId(o.from), conversationType: 'personal', tenantId };
  return { ...base(o, 'message', o.from, conversation, { tenant: { id: tenantId } }, o.id), text: o.text, textFormat: 'plain', entities: [CLIENT_INFO] };
}

/** the id of a user's 1:1 chat with the bot */
export function personalConversationId(user: TeamsAccount): string {
  return `a:1${Buffer.from(`chat-${user.id}`).toString('base64url')}`;
}

export interface AdaptiveCardActionOptions extends Common {
  /** where the card is: a channel, a thread `…;messageid=N`, or a personal chat `a:…` */
  conversationId: string;
  from: TeamsAccount;
  verb: string;
  data?: Record<string, unknown>;
  /** the id of the message carrying the card (what the connector answered when it was sent) */
  replyToId?: string;
  teamId?: string;
  /** `automatic` is the refresh of a user-specific view */
  trigger?: 'manual' | 'automatic';
}

/** a press of an `Action.Execute` button: an invoke named `adaptiveCard/action` */
export function adaptiveCardAction(o: AdaptiveCardActionOptions): TeamsActivity {
  const tenantId = o.tenantId ?? TENANT_ID;
  const personal = o.conversationId.startsWith('a:');
  const channelId = o.conversationId.split(';')[0]!;
  const teamId = o.teamId ?? TEAM_ID;
  const conversation: TeamsConversation = personal
    ? { id: o.conversationId, conversationType: 'personal', tenantId }
    : { id: o.conversationId, conversationType: 'channel', tenantId, isGroup: true };
  const channelData: TeamsChannelData = personal
    ? { tenant: { id: tenantId }, source: { name: 'message' } }
    : { teamsChannelId: channelId, teamsTeamId: teamId, channel: { id: channelId }, team: { id: teamId }, tenant: { id: tenantId }, source: { name: 'message' } };
  return {
    ...base(o, 'invoke', o.from, conversation, channelData, `f:${nextActivityId()}`),
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', id: `action-${o.verb}`, verb: o.verb, data: o.data ?? {} }, trigger: o.trigger ?? 'manual' },
    entities: [CLIENT_INFO],
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
  };
}

export interface PostResult {
  status: number;
  /** parsed JSON, else the text, or undefined when the body is empty */
  body: unknown;
  headers: Headers;
}

/**
 * POSTs an activity to `${botUrl}/api/messages` the way the Bot Connector service does.
 *
 * What comes back (botbuilder 4.23 `CloudAdapter.process`): the turn runs to its end first, so whatever
 * the bot sent during the turn has reached the connector by then. A message or conversationUpdate answers
 * 200 with no body. An invoke answers the turn's invoke response: status = `invokeResponse.status`, body =
 * `invokeResponse.body`; for `adaptiveCard/action` `ActivityHandler` sets both from `onAdaptiveCardInvoke`'s
 * result, so the body is the whole `{ statusCode, type, value }` (e.g. the replacement card) and the status
 * its `statusCode`. An invoke nobody answered is 501 (no body). A refused token is 401, a thrown turn 500.
 */
export async function postActivity(botUrl: string, activity: TeamsActivity | Record<string, unknown>, options: { authorization?: string } = {}): Promise<PostResult> {
  const res = await fetch(`${botUrl.replace(/\/+$/, '')}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(options.authorization ? { authorization: options.authorization } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: res.status, body, headers: res.headers };
}
