/**
 * An ASA audit event worth posting (SPEC §5: only notable ASA types are posted, all are stored).
 * Kept simple: the resolved sentence the poller built is the message.
 */
import type { AsaRecord } from '../domain/records.ts';
import type { Card } from './card.ts';
import { MAX_TITLE, clip, facts, timeText } from './format.ts';

export function buildAsaCard(r: AsaRecord): Card {
  return {
    kind: 'asa',
    family: 'ASA',
    severity: 'info',
    title: clip(r.text?.trim() || r.msg?.trim() || `ASA ${r.type}`, MAX_TITLE),
    facts: facts(
      ['Event', r.type],
      ['User', r.user],
      ['Server', r.server],
      ['Project', r.project],
      ['Outcome', r.outcome],
      ['At', timeText(r.at)],
    ),
    eventIds: [r.id],
    at: r.at,
  };
}
