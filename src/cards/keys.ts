/**
 * Message keys and task ids. They are stored by the adapters (which message a key is) and by the
 * follow-up work queue (which task a button means), so their shapes are a contract: change with care.
 */
import type { CampaignItemFacts, RecordBase } from '../domain/records.ts';

type ItemRecord = Pick<RecordBase, 'id'> & Pick<CampaignItemFacts, 'item'>;

/**
 * The campaign item an event is about. Okta normally sends `campaignItemId`; when it does not, the event's
 * own id stands in so the card still has a stable identity (it just cannot be matched to other events).
 */
export function itemOf(r: ItemRecord): string {
  return r.item ?? r.id;
}

/** The decision card of a campaign item; its remediation replies in this thread and updates it. */
export function decisionKey(r: ItemRecord): string {
  return `decision:${itemOf(r)}`;
}

/** The manual-remediation card of a campaign item. */
export function manualKey(r: ItemRecord): string {
  return `manual:${itemOf(r)}`;
}

/**
 * The manual-remediation task id a button carries (SPEC §5 "value = the task id"). One task per campaign
 * item, so a re-delivered or repeated SKIPPED remediation does not open a second task.
 */
export function manualTaskId(r: ItemRecord): string {
  return r.item !== undefined ? `item:${r.item}` : `event:${r.id}`;
}

/**
 * The "revoked but still used" reply of a campaign item (src/cards/still-used-card.ts): one per item, edited
 * in place as further uses come in.
 */
export function stillUsedKey(r: ItemRecord): string {
  return `still-used:${itemOf(r)}`;
}

export function requestKey(requestId: string): string {
  return `request:${requestId}`;
}
