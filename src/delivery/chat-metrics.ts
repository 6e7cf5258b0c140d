/**
 * One chat product's delivery metrics on the bot's registry (GET /metrics, SPEC §3), next to the shared
 * oig_cards_posted_total / oig_cards_failed_total {sink} and oig_queue_depth: `oig_slack_*` for Slack,
 * `oig_teams_*` for Teams, fed by the same paced delivery loop.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export type ChatProduct = 'slack' | 'teams';

const NAMES: Record<ChatProduct, string> = { slack: 'Slack Web API', teams: 'Bot Framework Connector' };

export class ChatMetrics {
  readonly calls: Counter<'method' | 'result'>;
  readonly rateLimited: Counter<'channel'>;
  readonly problems: Gauge;
  readonly outbox: Gauge;

  constructor(registry: Registry, product: ChatProduct) {
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
  }
}
