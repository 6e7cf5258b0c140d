/**
 * The Teams adapter's own words for Bot Framework things: the activities it reads and writes and where a
 * conversation is. Plain JSON shapes, no botbuilder types, so everything outside bot-framework/ stays
 * independent of the SDK (botbuilder was archived at the end of 2025; a move to the Microsoft 365 Agents
 * SDK replaces bot-framework/ only). Field names follow the Bot Framework activity schema.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface TeamsAccount {
  /** the Bot Framework id: `29:…` for people, `28:<app id>` for bots */
  id: string;
  name?: string;
  /** the person's Entra ID (Azure AD) object id */
  aadObjectId?: string;
}

export interface TeamsConversation {
  /** `19:…@thread.tacv2` for a channel (`;messageid=<id>` for a thread in it), `a:…` for a personal chat */
  id: string;
  conversationType?: 'channel' | 'personal' | 'groupChat' | string;
  tenantId?: string;
  isGroup?: boolean;
  name?: string;
}

/** Where proactive cards go: what Bot Framework calls a ConversationReference, without an activity id. */
export interface ConversationRef {
  serviceUrl: string;
  channelId: string;
  conversation: TeamsConversation;
  bot: TeamsAccount;
}

/** The parts of an incoming activity the bot reads. Every field is optional on the wire: check before use. */
export interface IncomingActivity {
  type: string;
  id?: string;
  name?: string;
  /** for messages: the words, with the @mention of the bot already removed */
  text?: string;
  value?: unknown;
  from?: TeamsAccount;
  recipient?: TeamsAccount;
  conversation?: TeamsConversation;
  replyToId?: string;
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
  channelData?: {
    eventType?: string;
    team?: { id?: string; name?: string };
    channel?: { id?: string; name?: string };
    tenant?: { id?: string };
  };
}

export interface AdaptiveAttachment {
  contentType: 'application/vnd.microsoft.card.adaptive';
  content: object;
}

export interface OutgoingActivity {
  type: 'message';
  /** notification and fallback text; Teams shows `summary` in the activity feed */
  text?: string;
  summary?: string;
  /** 'plain' for text that must not be read as Markdown (Okta names) */
  textFormat?: 'plain' | 'markdown';
  attachments?: AdaptiveAttachment[];
}

/** a person as Teams' roster describes them (TeamsInfo.getMember) */
export interface TeamsMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  userPrincipalName?: string;
  email?: string;
}

/** one incoming activity with what can be done in reply to it */
export interface Turn {
  activity: IncomingActivity;
  /** this conversation, for proactive cards later */
  reference: ConversationRef;
  /** replies in this conversation (in the thread of the activity); resolves with the new activity's id */
  reply(activity: OutgoingActivity): Promise<string | undefined>;
  /** the roster entry of a person in this conversation (for the UPN); undefined when Teams does not say */
  member(userId: string): Promise<TeamsMember | undefined>;
}

/** the HTTP answer to an invoke activity (Action.Execute): status and JSON body */
export interface InvokeReply {
  status: number;
  body?: unknown;
}

export type TurnHandler = (turn: Turn) => Promise<InvokeReply | undefined>;

/**
 * Everything the Teams adapter needs from a Bot Framework SDK. bot-framework/transport.ts implements it
 * with botbuilder's CloudAdapter; nothing else in the adapter imports botbuilder.
 */
export interface TeamsTransport {
  /** POST /api/messages: authenticates the request, runs `handler` for its activity, answers */
  handle(req: IncomingMessage, body: unknown, res: ServerResponse, handler: TurnHandler): Promise<void>;
  /** posts a message in a conversation (a channel: a new thread; `id;messageid=<root>`: a reply) */
  send(ref: ConversationRef, activity: OutgoingActivity): Promise<string>;
  /** replaces a message the bot posted */
  update(ref: ConversationRef, activityId: string, activity: OutgoingActivity): Promise<void>;
}

/** what TeamsTransport.send/update throw: the connector's answer, without SDK types */
export class ConnectorCallError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined when Teams was not reached (DNS, refused, timeout) */
    readonly status?: number,
    /** Teams' error code, e.g. BotNotInConversationRoster, ConversationBlockedByUser */
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ConnectorCallError';
  }
}
