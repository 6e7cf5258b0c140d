/**
 * One chat product's delivery metrics on the bot's registry (GET /metrics, SPEC §3), next to the shared
 * oig_cards_posted_total / oig_cards_failed_total {sink}, oig_queue_depth and
 * oig_outbox_oldest_age_seconds {sink, channel}: `oig_slack_*` for Slack, `oig_teams_*` for Teams, fed by
 * the same paced delivery loop.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

const OLDEST_AGE = 'oig_outbox_oldest_age_seconds';
/** per registry, what refreshes the outbox age gauge at a scrape (one delivery loop per chat) */
const ageRefreshers = new WeakMap<Registry, Set<() => void>>();

/**
 * One gauge for every chat of a registry, {sink, channel}: how long the oldest card waiting for a channel
 * has waited. Computed at each scrape, so a parked channel's age keeps growing while its lane sleeps.
 */
function oldestAgeGauge(registry: Registry): Gauge<'sink' | 'channel'> {
  const existing = registry.getSingleMetric(OLDEST_AGE);
  if (existing) return existing as Gauge<'sink' | 'channel'>;
  return new Gauge({
    name: OLDEST_AGE,
    help: 'seconds the oldest card waiting in the outbox for a channel has waited (a parked or unreachable channel keeps its cards)',
    labelNames: ['sink', 'channel'],
    registers: [registry],
    collect() {
      for (const refresh of ageRefreshers.get(registry) ?? []) refresh();
    },
  });
}

export type ChatProduct = 'slack' | 'teams';

const NAMES: Record<ChatProduct, string> = { slack: 'Slack Web API', teams: 'Bot Framework Connector' };

export class ChatMetrics {
  readonly calls: Counter<'method' | 'result'>;
  readonly rateLimited: Counter<'channel'>;
  readonly problems: Gauge;
  readonly outbox: Gauge;
  readonly oldestAge: Gauge<'sink' | 'channel'>;

  constructor(
    private readonly registry: Registry,
    product: ChatProduct,
  ) {
    const api = NAMES[product];
    this.calls = new Counter({
      name: `oig_${product}_api_calls_total`,
      help: `${api} calls made by the delivery queue, by method and result (ok or the error code)`,
      labelNames: ['method', 'result'],
      registers: [registry],
    });
    this.rateLimited = new Counter({
      name: `oig_${product}_rate_limited_total`,
      help: `${api} answers 429 with Retry-After, honoured before the channel was used again`,
      labelNames: ['channel'],
      registers: [registry],
    });
    this.problems = new Gauge({
      name: `oig_${product}_delivery_problems`,
      help: 'channels (or the credentials) the chat currently refuses; cards for them wait in the outbox',
      registers: [registry],
    });
    this.outbox = new Gauge({ name: `oig_${product}_outbox_cards`, help: `cards waiting in the ${product} outbox`, registers: [registry] });
    this.oldestAge = oldestAgeGauge(registry);
  }

  /** `refresh` sets this chat's `oldestAge` series; it runs at every scrape of /metrics */
  refreshOnScrape(refresh: () => void): void {
    let set = ageRefreshers.get(this.registry);
    if (!set) ageRefreshers.set(this.registry, (set = new Set()));
    set.add(refresh);
  }
}
