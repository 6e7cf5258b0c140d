/**
 * What a chat product supplies to the one delivery core (STYLE practice 12: a transport supplies functions,
 * the core owns the algorithm). The outbox, the paced loop, message references, the send algorithm
 * (send-card.ts) and the queueing sink (outbox-sink.ts) live in src/delivery once; Slack and Teams say only
 * how their messages look, which calls make them, how a failure reads and where a card goes.
 * adapters/slack/delivery/slack-chat.ts and adapters/teams/delivery/teams-chat.ts implement it.
 */
import type { Card, RouteFamily } from '../cards/card.ts';
import type { ChatProduct } from './chat-metrics.ts';
import type { ProblemWords } from './delivery-problems.ts';
import type { Failure } from './failure.ts';
import type { MessageRef } from './message-refs.ts';
import type { OutboxItem } from './outbox.ts';

/** which call failed: a reply in a thread can fail because the thread is gone, a top-level post cannot */
export type ChatCall = 'post' | 'reply' | 'update';

/** where one message is posted: a channel (conversation) and, when it is a reply, the thread in it */
export interface PostTarget {
  channel: string;
  /** Slack's thread_ts; unused by Teams, which names a thread as a conversation of its own */
  thread?: string;
}

/** where a message landed: what the message reference keeps (the chat's channel id, its message id) */
export type Posted = Omit<MessageRef, 'at'>;

/** what the core knows about a card's messages while it places the card (outbox-sink.ts) */
export interface Whereabouts {
  /** the posted message a reference key (`refKey`) names */
  posted(refKey: string): MessageRef | undefined;
  /** an outbox item waiting with this card key */
  queued(cardKey: string): OutboxItem | undefined;
}

export interface ChatTransport<Message> extends ProblemWords {
  /** 'slack', 'teams': the sink's name, the metrics' `oig_<chat>_*` prefix and the state files' */
  readonly chat: ChatProduct;
  /** the API methods behind post and update, as oig_<chat>_api_calls_total {method} names them */
  readonly methods: { readonly post: string; readonly update: string };
  /** the card as this chat shows it; `plain`: as text only, after the chat refused the rich version once */
  render(card: Card, plain: boolean): Message;
  /**
   * Posts a message; throws what `classify` reads. `channel`: the outbox lane the card waits in;
   * `to`: where exactly (that channel, or a thread named by `threadTarget`).
   */
  post(channel: string, to: PostTarget, message: Message): Promise<Posted>;
  /** replaces a message the bot posted (`ref`), for the card waiting in `channel`; throws what `classify` reads */
  update(channel: string, ref: MessageRef, message: Message): Promise<void>;
  /** a thrown call as one of the failure kinds the paced loop acts on (a reply's lost thread: `thread`) */
  classify(err: unknown, call: ChatCall): Failure;
  /** the message reference key of a card key in a channel: Slack one per card, Teams one per conversation */
  refKey(channel: string, cardKey: string): string;
  /** where a reply to `parent` goes: Slack its channel and ts, Teams `<channel>;messageid=<root id>` */
  threadTarget(parent: MessageRef): PostTarget;
  /**
   * The channels a card is queued for (none: not posted here). An edit belongs where its message is and
   * a reply where its parent is, whatever channel its family would choose.
   */
  place(card: Card, where: Whereabouts): readonly string[];
  /** what to log, once, when a family's cards have nowhere to go: which setting to change */
  unplaced(family: RouteFamily): string;
  /** false when a channel stopped taking cards while one waited (Teams: unsubscribed): it is skipped */
  accepts?(channel: string): boolean;
}
