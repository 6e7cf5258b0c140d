/**
 * What every chat adapter (adapters/slack, adapters/teams) is given and gives back, so the composition
 * root (src/compose.ts) wires them alike. Each adapter adds its own knobs and status fields.
 */
import type { Logger } from 'pino';
import type { CommandDeps, StatsSource } from '../commands/deps.ts';
import type { StillUsedReader } from '../correlate/still-used-watch.ts';
import { oldestOf } from '../commands/stats.ts';
import type { Config } from '../config/config.ts';
import type { PressOutcome } from '../followup/work-queue.ts';
import type { Actor, TaskActionName, TaskSource } from '../followup/task.ts';
import type { HttpRouter } from '../http/http-server.ts';
import type { ReadyState } from '../http/readiness.ts';
import type { Metrics } from '../metrics.ts';
import type { EventStore } from '../store/event-store.ts';
import type { Card } from '../cards/card.ts';
import type { CardSink } from './card-sink.ts';
import { problemLine, type DeliveryProblem, type DeliveryProblems } from './delivery-problems.ts';
import type { Outbox } from './outbox.ts';
import type { PostGate } from './post-gate.ts';
import type { StateStore } from '../store/state-store.ts';

export interface ChatAdapterDeps {
  config: Config;
  /** the bot's one HTTP server: the adapter adds its routes */
  router: HttpRouter;
  /** where the outbox, the message references and the adapter's own state are kept */
  state: StateStore;
  log: Logger;
  metrics: Metrics;
  /** the event store `/oig` answers from; without it only the help is answered */
  store?: EventStore;
  /**
   * for `/oig skipped` and `/oig stats`: the work queue, and the bot's status (pollers, delivery); the
   * adapter reports its own delivery unless `stats.delivery` is given
   */
  commands?: { tasks?: TaskSource; stats?: StatsSource; stillUsed?: StillUsedReader };
  /** one new message in flight at a time across every chat (post-gate.ts) */
  postGate?: PostGate;
  /** a replica on PostgreSQL: the chat delivers only while this replica leads (lead()) */
  waitForLead?: boolean;
  /** the work queue the manual-remediation buttons press; without it a press is answered "not available" */
  taskQueue?: TaskPresser;
}

/** the work queue as the buttons use it (src/followup/work-queue.ts) */
export interface TaskPresser {
  press(action: TaskActionName, taskId: string, actor: Actor): Promise<PressOutcome>;
  /** the task's card as it stands now */
  card(taskId: string): Card | undefined;
}

export interface ChatAdapter<Status extends { outbox: number }> {
  /** where the dispatcher and the work queue hand cards */
  sink: CardSink;
  start(): Promise<void>;
  /** a replica that comes to lead starts delivering (with `waitForLead`; start() leaves it out then) */
  lead(): Promise<void>;
  /** stops calling the chat; its outbox is durable */
  stop(): Promise<void>;
  status(): Status;
  /** what needs a person (blocked channels, refused credentials, dropped cards) */
  deliveryErrors(): DeliveryProblem[];
  /** GET /readyz: whether the chat accepted the bot's credentials (asking may start a re-check of them) */
  ready(): ReadyState;
}

/**
 * What a chat's `/oig` reads: the store, the work queue and the status lines; the delivery lines are the
 * adapter's own outbox and problems unless the composition root gives them. Without a store: undefined
 * (only the help can be answered).
 */
export function chatCommandDeps(deps: ChatAdapterDeps, outbox: Outbox, problems: DeliveryProblems): CommandDeps | undefined {
  if (!deps.store) return undefined;
  const given = deps.commands?.stats;
  const own = () => ({ outbox: outbox.size, ...oldestOf([outbox.oldestQueuedAt()]), errors: problems.list().map((p) => problemLine(p)) });
  const stats: StatsSource = { ...given, delivery: given?.delivery ?? own };
  const stillUsed = deps.commands?.stillUsed;
  return { store: deps.store, stats, ...(deps.commands?.tasks ? { tasks: deps.commands.tasks } : {}), ...(stillUsed ? { stillUsed } : {}) };
}
