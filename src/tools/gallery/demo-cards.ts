/**
 * The cards `npm run demo` makes, captured instead of printed: the real core (store, routing, the work queue,
 * the ASA poller and the "revoked but still used" stage) runs on a throw-away data folder, the demo's sample
 * events are posted to its own hook URL as Okta would, and the demo's fake ASA server is polled. Then one
 * manual-remediation task is claimed and marked done through the work queue's own press, the path a Slack or
 * Teams button takes, so the gallery shows the three states a task card goes through.
 *
 * Always a fresh lowdb folder (never DATABASE_URL or the operator's DATA_DIR): the gallery must not write
 * into a real store, and the cards do not depend on which store keeps them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Bot } from '../../app.ts';
import type { Card } from '../../cards/card.ts';
import { loadConfig } from '../../config/config.ts';
import { MemorySink } from '../../delivery/memory-sink.ts';
import { DEMO_ASA, startDemoAsa } from '../../demo/demo-asa-server.ts';
import { DEMO_ASA_USER_MAP, sampleEvents } from '../../demo/sample-events.ts';
import type { EventRecord } from '../../domain/records.ts';
import { startFollowUp } from '../../followup/index.ts';
import type { WorkQueue } from '../../followup/work-queue.ts';
import type { Actor } from '../../followup/task.ts';
import type { RouteContext } from '../../route/route-context.ts';
import { createStateStore } from '../../store/create-state-store.ts';
import { envelopeOf } from '../replay-payload.ts';

export interface DemoRun {
  /** what the sinks received, in order */
  cards: Card[];
  /** one task card in each state, as the work queue builds it after each press */
  task: { open: Card; claimed: Card; done: Card };
  /** the stored records in log order, and the store to route them against again (digest, catch-up) */
  records: EventRecord[];
  ctx: RouteContext;
  /** stops the bot and removes its data folder */
  close(): Promise<void>;
}

/** who presses the buttons in the pictures: a person from the sample events */
const PRESSER: Actor = { id: 'U0DEMOALICE', name: 'Alice Example', email: 'alice@example.com', via: 'slack' };

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`gallery: ${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function runDemo(): Promise<DemoRun> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-gallery-'));
  const asa = await startDemoAsa();
  const hookSecret = randomBytes(24).toString('hex');
  const log = pino({ level: 'silent' });
  const events = sampleEvents();
  // only what the demo sets: nothing from the environment (a DATABASE_URL or chat tokens) reaches this bot
  const config = loadConfig({
    DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', OKTA_HOOK_SECRET: hookSecret,
    ASA_TEAM: DEMO_ASA.team, ASA_KEY_ID: DEMO_ASA.keyId, ASA_KEY_SECRET: DEMO_ASA.keySecret, ASA_BASE_URL: asa.baseUrl,
    // the presser below is allowed, as an admin would list a real team
    OIG_ALLOWED_USERS: PRESSER.id,
    // as npm run demo: Erin's Okta id tied to the demo ASA user "erin"; without it no "still used" card is made
    ASA_USER_MAP: DEMO_ASA_USER_MAP,
  });
  const state = createStateStore(config, { log });
  const sink = new MemorySink('gallery');
  const bot = new Bot({ config, hookSecret, log, sinks: [sink], state });
  // wired as src/compose.ts wires it: routing opens tasks, task cards go out through the dispatcher
  const followUp = await startFollowUp({ config, state: bot.state, log, publish: (cards) => bot.dispatcher.publish(cards) });
  bot.useTasks(followUp.queue);
  const close = async (): Promise<void> => {
    await bot.stop();
    await followUp.stop();
    await state.close();
    await asa.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await bot.start();
    for (const event of events) {
      const res = await fetch(`${bot.url}/okta/hooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [config.hook.authHeader]: hookSecret },
        body: JSON.stringify(envelopeOf([event])),
      });
      if (!res.ok) throw new Error(`gallery: the bot refused a sample event: ${res.status} ${await res.text()}`);
    }
    await waitFor(() => bot.pollerStatus().asa?.lastRun !== undefined, "the ASA poller's first run");
    await bot.idle();
    const task = await pressThrough(followUp.queue);
    await bot.idle();
    return { cards: sink.cards, task, records: bot.store.recordsAfter(0), ctx: bot.store, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** the first open task: its card open, then claimed, then done, each as the queue rebuilds it */
async function pressThrough(queue: WorkQueue): Promise<DemoRun['task']> {
  const first = queue.openTasks()[0];
  if (!first) throw new Error('gallery: the demo opened no manual-remediation task (a SKIPPED remediation should)');
  const cardOf = (what: string): Card => {
    const card = queue.card(first.id);
    if (!card) throw new Error(`gallery: the work queue has no card for task ${first.id} (${what})`);
    return card;
  };
  const open = cardOf('open');
  const press = async (action: 'claim' | 'done'): Promise<Card> => {
    const outcome = await queue.press(action, first.id, PRESSER);
    if (outcome.result !== 'ok') throw new Error(`gallery: pressing ${action} on task ${first.id} gave ${outcome.result}: ${outcome.message}`);
    return cardOf(action);
  };
  const claimed = await press('claim');
  return { open, claimed, done: await press('done') };
}
