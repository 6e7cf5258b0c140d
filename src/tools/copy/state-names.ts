/**
 * Every piece of state the bot keeps besides its events, by the name it has in a StateStore (state-store.ts),
 * and which of them hold event-log positions (translated by the copy: position-map.ts). When a new user of
 * StateStore adds a document or a journal, it belongs here, or `npm run copy-to-postgres` leaves it behind.
 */
import { ASA_CHECKPOINT_FILE, ASA_RUNS_FILE } from '../../asa/asa-checkpoint.ts';
import { MessageRefs } from '../../delivery/message-refs.ts';
import { Outbox } from '../../delivery/outbox.ts';
import type { StateStore } from '../../store/state-store.ts';

/** documents (StateStore.doc); `position`: the field that is a log position */
export const DOCUMENTS: ReadonlyArray<{ name: string; position?: string }> = [
  // the routing cursor (route/routing-cursor.ts)
  { name: 'routing', position: 'routedThrough' },
  { name: ASA_CHECKPOINT_FILE },
  { name: ASA_RUNS_FILE },
  { name: 'system-log-backfill' },
  { name: 'system-log-runs' },
  // followup/task-file.ts, followup/audit-file.ts
  { name: 'manual-tasks' },
  { name: 'manual-task-audit' },
  // adapters/teams/subscriptions.ts
  { name: 'teams-subscriptions' },
];

/** something open on a journal that can be closed (an Outbox, MessageRefs) */
interface Closable {
  close(): Promise<void>;
}

/**
 * Journals (StateStore.journal), each opened the way its user opens it, so the copy uses the real state
 * kind (how a snapshot decodes); `position`: the snapshot field that is a log position.
 */
export const JOURNALS: ReadonlyArray<{ name: string; open: (store: StateStore, name: string) => Promise<Closable>; position?: string }> = [
  // delivery/chat-delivery.ts: `${chat}-outbox`, `${chat}-messages`
  { name: 'slack-outbox', open: (s, n) => Outbox.open(s, n), position: 'routedThrough' },
  { name: 'teams-outbox', open: (s, n) => Outbox.open(s, n), position: 'routedThrough' },
  { name: 'slack-messages', open: (s, n) => MessageRefs.open(s, n) },
  { name: 'teams-messages', open: (s, n) => MessageRefs.open(s, n) },
];
