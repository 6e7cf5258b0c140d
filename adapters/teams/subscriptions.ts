/**
 * Which Teams conversations get cards (issue 7): a channel is subscribed when the bot is added to its team
 * (Teams then names the team's General channel) or when someone writes `@OIG oig subscribe` in it, with all
 * routing families or the ones named (`oig subscribe certification manual`, the families of
 * SLACK_CHANNEL_<FAMILY>); `oig unsubscribe` removes it; removing the bot from the team removes the team's
 * channels. Kept in DATA_DIR/state/teams-subscriptions.json with the conversation reference Bot Framework
 * needs to post there proactively, so subscriptions survive restarts.
 */
import { ROUTE_FAMILIES, type RouteFamily } from '../../src/cards/card.ts';
import type { StateDoc, StateStore } from '../../src/store/state-store.ts';
import type { ConversationRef } from './teams-types.ts';

export interface Subscription {
  ref: ConversationRef;
  families: RouteFamily[];
  /** the team the channel belongs to (removing the bot from the team ends its subscriptions) */
  teamId?: string;
  /** who subscribed it ("added to the team" when it came with the install) */
  by: string;
  at: string;
}

interface SubscriptionsDoc {
  subscriptions: Record<string, Subscription>;
}

/** a message in a channel thread arrives in `19:…@thread.tacv2;messageid=<root>`: the channel is the part before */
export function channelOf(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at < 0 ? conversationId : conversationId.slice(0, at);
}

export class Subscriptions {
  private constructor(private readonly file: StateDoc<SubscriptionsDoc>) {}

  static async open(state: StateStore): Promise<Subscriptions> {
    return new Subscriptions(await state.doc<SubscriptionsDoc>('teams-subscriptions', { subscriptions: {} }).open());
  }

  list(): Subscription[] {
    return Object.values(this.file.data.subscriptions);
  }

  get(conversationId: string): Subscription | undefined {
    const id = channelOf(conversationId);
    return Object.hasOwn(this.file.data.subscriptions, id) ? this.file.data.subscriptions[id] : undefined;
  }

  /** the conversation ids subscribed to a family's cards */
  forFamily(family: RouteFamily): string[] {
    return this.list().filter((s) => s.families.includes(family)).map((s) => s.ref.conversation.id);
  }

  /** subscribes (or changes the families of) the channel of `ref`; durable before it resolves */
  async subscribe(ref: ConversationRef, families: readonly RouteFamily[], by: string, teamId?: string, now = new Date()): Promise<Subscription> {
    const id = channelOf(ref.conversation.id);
    const sub: Subscription = {
      ref: { ...ref, conversation: { ...ref.conversation, id } },
      families: families.length ? [...new Set(families)] : [...ROUTE_FAMILIES],
      ...(teamId ? { teamId } : {}),
      by,
      at: now.toISOString(),
    };
    await this.file.update((doc) => {
      doc.subscriptions[id] = sub;
    });
    return sub;
  }

  /** resolves with whether the channel was subscribed */
  async unsubscribe(conversationId: string): Promise<boolean> {
    const id = channelOf(conversationId);
    if (!this.get(id)) return false;
    await this.file.update((doc) => {
      delete doc.subscriptions[id];
    });
    return true;
  }

  /** the bot left a team: every channel of it; resolves with how many */
  async removeTeam(teamId: string): Promise<number> {
    const gone = this.list().filter((s) => s.teamId === teamId).map((s) => s.ref.conversation.id);
    if (gone.length === 0) return 0;
    await this.file.update((doc) => {
      for (const id of gone) delete doc.subscriptions[id];
    });
    return gone.length;
  }
}
