/**
 * Cards a follower made, on their way to the leader's outboxes (issue 13 §2). Only the leader queues
 * cards for chat (one outbox loop keeps the pace per channel); a follower that answered a button press
 * has a new card for the task, and puts it here (migrations/004-forwarded-cards.sql). The leader drains
 * the table oldest first.
 *
 * Nothing lost, a repeat at most: each batch is read with FOR UPDATE SKIP LOCKED, handed to its sink
 * (which resolves once the cards are durable in the outbox) and deleted in that same transaction. A crash
 * or a lost connection between the hand-over and COMMIT leaves the row, and the next leader hands it over
 * again: a repeat, harmless because the outbox coalesces cards by key. Deleting in a later transaction
 * would let a second drainer (two leaders by mistake) read the row in between and post it twice; holding
 * the row lock through the hand-over makes the other skip it.
 *
 * A NOTIFY at commit wakes the drain within milliseconds; it also polls, since a notification can be lost
 * (the LISTEN connection dropped, a pooler in transaction mode).
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import { backoffMs, Sleepers } from '../sleepers.ts';
import { loggableError } from '../store/postgres/connection-error.ts';
import type { Database } from '../store/postgres/database.ts';

/** the channel an add notifies at commit */
export const FORWARDED_CHANNEL = 'oig_forwarded_cards';

export interface ForwardedCardsOptions {
  database: Database;
  log: Logger;
  /** how often the drain looks without a notification (default 5 s) */
  pollMs?: number;
  /** first wait after a batch could not be handed over (doubles up to 30 s; default 500 ms) */
  retryBaseMs?: number;
}

/** hands one batch to the named sink; resolves once the cards are durable, rejects to be retried */
export type DeliverForwarded = (sink: string, cards: Card[]) => Promise<void>;

/** batches read per transaction */
const PAGE = 20;
const RETRY_MAX_MS = 30_000;

// one statement, so the row and its notification commit together
const ADD = `WITH added AS (INSERT INTO forwarded_cards (sink, cards) VALUES ($1, $2::jsonb) RETURNING id)
SELECT pg_notify('${FORWARDED_CHANNEL}', '') FROM added`;
const OLDEST = 'SELECT id, sink, cards FROM forwarded_cards ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED';

interface Row {
  id: string;
  sink: string;
  cards: Card[];
}

type Outcome = 'idle' | 'more' | 'failed';

export class ForwardedCards {
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  /** the idle wait (a notification or stop ends it) and the backoff (only stop ends it) */
  private readonly idle = new Sleepers();
  private readonly backoff = new Sleepers();
  private listener: pg.PoolClient | undefined;
  private saidNotListening = false;

  constructor(private readonly o: ForwardedCardsOptions) {
    this.pollMs = o.pollMs ?? 5_000;
    this.retryBaseMs = o.retryBaseMs ?? 500;
  }

  /** stores the batch for the leader; resolves once it is committed */
  async add(sink: string, cards: readonly Card[]): Promise<void> {
    if (cards.length === 0) return;
    await this.o.database.pool.query(ADD, [sink, JSON.stringify(cards)]);
  }

  /** the leader's loop: hands every batch, oldest first, to `deliver` until stop() */
  drain(deliver: DeliverForwarded): void {
    if (this.running) throw new Error('ForwardedCards: drain() is already running');
    this.stopping = false;
    this.running = this.loop(deliver);
  }

  /** ends the loop once a hand-over in flight has finished (and its row is deleted) */
  async stop(): Promise<void> {
    this.stopping = true;
    this.idle.wakeAll();
    this.backoff.wakeAll();
    await this.running;
    this.running = undefined;
    await this.unlisten();
  }

  private async loop(deliver: DeliverForwarded): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      // listening before reading: whatever commits after this read is announced
      await this.listen();
      this.woken = false;
      const outcome = await this.drainSome(deliver, failures === 0);
      // a stop while the batch was handed over has woken nobody yet
      if (this.stopping) break;
      if (outcome === 'failed') {
        await this.backoff.sleep(backoffMs(++failures, this.retryBaseMs, RETRY_MAX_MS));
        continue;
      }
      if (failures > 0) this.o.log.info({ attempts: failures + 1 }, 'forwarded cards are handed over again');
      failures = 0;
      if (outcome === 'idle' && !this.woken) await this.idle.sleep(this.pollMs);
    }
  }

  /** one transaction: up to PAGE batches handed over and deleted, stopping at the first that fails */
  private async drainSome(deliver: DeliverForwarded, sayFailure: boolean): Promise<Outcome> {
    let client: pg.PoolClient | undefined;
    let lost: Error | undefined;
    const onError = (err: Error) => (lost = err);
    try {
      client = await this.o.database.pool.connect();
      // a checked-out client has no pool listener: a connection lost mid-transaction must not crash
      client.on('error', onError);
      await client.query('BEGIN');
      const { rows } = await client.query<Row>(OLDEST, [PAGE]);
      let outcome: Outcome = rows.length === PAGE ? 'more' : 'idle';
      for (const row of rows) {
        if (this.stopping) break;
        try {
          await deliver(row.sink, row.cards);
        } catch (err) {
          if (sayFailure) {
            this.o.log.error(
              { err: loggableError(err), sink: row.sink, batch: row.id, cards: row.cards.length },
              'could not queue forwarded cards; trying again with backoff (nothing is dropped; later batches wait so that cards stay in order)',
            );
          }
          outcome = 'failed';
          break;
        }
        await client.query('DELETE FROM forwarded_cards WHERE id = $1', [row.id]);
      }
      // keeps the deletes of the batches handed over before one failed
      await client.query('COMMIT');
      return outcome;
    } catch (err) {
      await client?.query('ROLLBACK').catch(() => undefined);
      if (sayFailure) this.o.log.error({ err: loggableError(err) }, 'could not read forwarded cards from PostgreSQL; trying again with backoff');
      return 'failed';
    } finally {
      client?.off('error', onError);
      client?.release(lost);
    }
  }

  private wake(): void {
    this.woken = true;
    this.idle.wakeAll();
  }

  /** LISTENs unless it already does; a failure is said once (the poll still runs) */
  private async listen(): Promise<void> {
    if (this.listener) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.o.database.pool.connect();
      const c = client;
      c.on('notification', () => this.wake());
      c.on('error', (err) => this.lostListener(c, err));
      await c.query(`LISTEN ${FORWARDED_CHANNEL}`);
      this.listener = c;
      this.saidNotListening = false;
    } catch (err) {
      client?.release(true);
      if (!this.saidNotListening) {
        this.o.log.warn({ err: loggableError(err), pollMs: this.pollMs }, 'could not LISTEN for forwarded cards; the leader polls for them');
      }
      this.saidNotListening = true;
    }
  }

  private lostListener(client: pg.PoolClient, err: Error): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    client.release(err);
    // listened for again at the next poll, which finds what was added meanwhile
    this.o.log.warn({ err: loggableError(err) }, 'the LISTEN connection for forwarded cards was lost; polling until it is back');
  }

  private async unlisten(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    if (!client) return;
    await client.query(`UNLISTEN ${FORWARDED_CHANNEL}`).catch(() => undefined);
    client.release();
  }
}
