/**
 * The delivery half of a chat adapter, wired once for every chat: the persisted outbox and message
 * references (DATA_DIR/state/<chat>-outbox, <chat>-messages), the chat's metrics and problems, the paced
 * loop sending each item with the one send algorithm (send-card.ts), and the sink routing hands cards to.
 * The adapter gives its transport and adds what is its own (Slack's token check, Teams' subscriptions).
 */
import type { StateStore } from '../store/state-store.ts';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import { ChatMetrics } from './chat-metrics.ts';
import type { ChatTransport } from './chat-transport.ts';
import { DeliveryLoop, type LaneStatus, type PacingOptions } from './delivery-loop.ts';
import { DeliveryProblems, type DeliveryProblem } from './delivery-problems.ts';
import { MessageRefs } from './message-refs.ts';
import { Outbox } from './outbox.ts';
import { OutboxSink } from './outbox-sink.ts';
import { PostGate } from './post-gate.ts';
import { sendCard } from './send-card.ts';

/** how delivery to a chat stands, in its adapter's status() */
export interface DeliveryStatus {
  /** cards waiting for the chat */
  outbox: number;
  /** ISO time the longest-waiting of them was queued */
  oldestQueuedAt?: string;
  lanes: LaneStatus[];
  lastDeliveredAt?: string;
  /** what needs a person: blocked channels, a refused token, dropped cards (newest first) */
  problems: DeliveryProblem[];
}

export interface ChatDelivery<Message> {
  outbox: Outbox;
  refs: MessageRefs;
  problems: DeliveryProblems;
  loop: DeliveryLoop;
  sink: OutboxSink<Message>;
  /**
   * Keeps the references pruned and starts the loop (cards queued before a restart go first); with
   * `waitForLead`, nothing: the loop starts in lead().
   */
  start(): Promise<void>;
  /** a replica that comes to lead: reads what the last leader wrote to the outbox and references, then starts */
  lead(): Promise<void>;
  /** stops calling the chat and closes the outbox and references (durable: a restart goes on from them) */
  stop(): Promise<void>;
  status(): DeliveryStatus;
}

export interface ChatDeliveryDeps {
  /** where the outbox and the message references are kept */
  state: StateStore;
  metrics: Metrics;
  log: Logger;
  pacing?: Partial<PacingOptions> | undefined;
  /** one new message in flight at a time, shared by every chat of the bot (post-gate.ts); default: this chat's own */
  postGate?: PostGate | undefined;
  /** a replica on PostgreSQL: one delivers at a time, the one that leads (compose.ts calls lead()) */
  waitForLead?: boolean | undefined;
}

export async function openChatDelivery<Message>(transport: ChatTransport<Message>, d: ChatDeliveryDeps): Promise<ChatDelivery<Message>> {
  const { chat, product } = transport;
  const [outbox, refs] = await Promise.all([Outbox.open(d.state, `${chat}-outbox`, { log: d.log }), MessageRefs.open(d.state, `${chat}-messages`, { log: d.log })]);
  const chatMetrics = new ChatMetrics(d.metrics.registry, chat);
  const problems = new DeliveryProblems(d.log, chatMetrics, transport);
  const gate = d.postGate ?? new PostGate();
  const send = (item: Parameters<typeof sendCard>[0]) => sendCard(item, transport, refs, gate);
  const loop = new DeliveryLoop({ outbox, send, problems, metrics: d.metrics, chatMetrics, sink: chat, log: d.log }, d.pacing);
  const sink = new OutboxSink(outbox, refs, transport, loop, d.log);
  // the outbox may hold cards from before a restart: the gauges say so at once
  d.metrics.queueDepth.set(outbox.size);
  chatMetrics.outbox.set(outbox.size);

  let pruning: { stop(): void } | undefined;
  const begin = async () => {
    pruning = await refs.keepPruned(d.log, product);
    if (outbox.size > 0) d.log.info({ cards: outbox.size }, `delivering ${product} cards queued before the restart`);
    loop.start();
  };
  return {
    outbox,
    refs,
    problems,
    loop,
    sink,
    async start() {
      if (!d.waitForLead) await begin();
    },
    async lead() {
      await Promise.all([outbox.catchUp(), refs.catchUp()]);
      await begin();
    },
    async stop() {
      pruning?.stop();
      await loop.stop();
      // the journals' pending writes land before the process goes; nothing queues after the chat stopped
      await Promise.all([outbox.close(), refs.close()]);
    },
    status: () => ({
      outbox: outbox.size,
      ...(outbox.oldestQueuedAt() ? { oldestQueuedAt: outbox.oldestQueuedAt() } : {}),
      lanes: loop.lanesStatus(),
      ...(loop.lastDeliveredAt ? { lastDeliveredAt: loop.lastDeliveredAt } : {}),
      problems: problems.list(),
    }),
  };
}
