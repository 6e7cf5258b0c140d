/**
 * Slack's own metrics on the bot's registry (GET /metrics, SPEC §3), next to the shared
 * oig_cards_posted_total / oig_cards_failed_total {sink="slack"} and oig_queue_depth it also feeds.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export class SlackMetrics {
  readonly calls: Counter<'method' | 'result'>;
  readonly rateLimited: Counter<'channel'>;
  readonly problems: Gauge;
  readonly outbox: Gauge;

  constructor(registry: Registry) {
    this.calls = new Counter({
      name: 'oig_slack_api_calls_total',
      help: 'Slack Web API calls made by the delivery queue, by method and result (ok or the error code)',
      labelNames: ['method', 'result'],
      registers: [registry],
    });
    this.rateLimited = new Counter({
      name: 'oig_slack_rate_limited_total',
      help: 'Slack answers 429 with Retry-After, honoured before the channel was used again',
      labelNames: ['channel'],
      registers: [registry],
    });
    this.problems = new Gauge({
      name: 'oig_slack_delivery_problems',
      help: 'channels (or the token) Slack currently refuses; cards for them wait in the outbox',
      registers: [registry],
    });
    this.outbox = new Gauge({ name: 'oig_slack_outbox_cards', help: 'cards waiting in the Slack outbox', registers: [registry] });
  }
}
