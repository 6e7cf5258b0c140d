/**
 * Small text helpers shared by the card builders. Pure; no escaping here (every renderer escapes for its
 * own markup), only shaping and clipping so that an absurd Okta value cannot push a card past Slack's
 * 3000-character section limit or Teams' payload limit.
 *
 * Names (people, resources, campaigns) are made one line here (untrusted-text.ts), not only at render time:
 * a name is often quoted inside a note or a message ("Decision notes: …", a next step), where the renderer
 * keeps line breaks, so a "\r\n" in a name would still start a line of its own there.
 */
import type { CampaignRef, Party, RecordBase, Resource } from '../domain/records.ts';
import type { CardFact } from './card.ts';
import { inertBlock, inertLine } from './untrusted-text.ts';

/** Longest single fact value we pass on; real names and ids are far shorter. */
export const MAX_VALUE = 1000;
/** Notes (decision notes, hints) may be longer than a fact but must stay well inside 3000. */
export const MAX_NOTE = 2000;
/** Titles end up in Slack header blocks and notification previews: keep them short. */
export const MAX_TITLE = 250;

/** Cuts `text` to at most `max` characters, ending with "…" when cut; never splits a surrogate pair. */
export function clip(text: string, max: number = MAX_VALUE): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** a name, login or id from Okta as one trimmed line; undefined when nothing is left */
function nameLine(text: string | undefined): string | undefined {
  return text === undefined ? undefined : inertLine(text).trim() || undefined;
}

/** "Alice Example (alice@example.com)", or whichever parts Okta gave. */
export function partyText(p: Party | undefined): string {
  if (!p) return 'unknown';
  const display = nameLine(p.name);
  const login = nameLine(p.login);
  if (display && login && display !== login) return clip(`${display} (${login})`);
  return clip(display || login || nameLine(p.id) || 'unknown');
}

/** The short form used in titles: the display name, else the login, else the id. */
export function partyShort(p: Party | undefined): string {
  return clip(nameLine(p?.name) || nameLine(p?.login) || nameLine(p?.id) || 'unknown', 100);
}

/** "Salesforce (APPLICATION)". */
export function resourceText(r: Resource | undefined): string {
  if (!r) return 'unknown';
  const shown = nameLine(r.name) || nameLine(r.id) || 'unknown';
  const type = nameLine(r.type);
  return clip(type ? `${shown} (${type})` : shown);
}

export function resourceShort(r: Resource | undefined): string {
  return clip(nameLine(r?.name) || nameLine(r?.id) || 'unknown', 100);
}

export function campaignText(c: CampaignRef | undefined): string | undefined {
  const text = nameLine(c?.name) || nameLine(c?.id);
  return text ? clip(text) : undefined;
}

/** "2024-05-02 09:30:00 UTC"; anything that is not a date is shown as it came. */
/** a UTC ISO time as the store keeps it (Okta `published`, normalized) */
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function timeText(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  // every card shows a time: the common case is sliced, not parsed and printed again
  if (UTC_ISO.test(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return clip(inertLine(iso), 100);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "2d 3h", "4h 5m", "12m", "<1m": precise enough for a person, never more than two units. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return '<1m';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return mins > 0 ? `${hours}h ${mins}m` : `${hours}h`;
  return `${mins}m`;
}

/** The newest of some ISO timestamps (a card's `at`). Unparseable ones lose against parseable ones. */
export function latestAt(first: string, ...rest: string[]): string {
  let best = first;
  for (const at of rest) {
    const a = Date.parse(at);
    const b = Date.parse(best);
    if (Number.isNaN(b) || (!Number.isNaN(a) && a > b)) best = at;
  }
  return best;
}

/** SPEC §4: Workflows acts under the connection owner; say so instead of pretending a person acted. */
export function workflowsText(r: RecordBase): string | undefined {
  return r.wf ? `via Okta Workflows (connection owner: ${partyText(r.wf.owner)})` : undefined;
}

/** Builds a fact list, skipping empty values and clipping the rest; a fact value is one line. */
export function facts(...entries: Array<[label: string, value: string | undefined]>): CardFact[] {
  const out: CardFact[] = [];
  for (const [label, value] of entries) {
    const shown = value === undefined ? '' : inertLine(value).trim();
    if (shown === '') continue;
    out.push({ label, value: clip(shown) });
  }
  return out;
}

/** Drops empty notes and clips the rest; controls and invisible characters removed, line breaks kept. */
export function notes(...entries: Array<string | undefined>): string[] | undefined {
  const out = entries
    .map((n) => (n === undefined ? '' : inertBlock(n)))
    .filter((n) => n.trim() !== '')
    .map((n) => clip(n, MAX_NOTE));
  return out.length > 0 ? out : undefined;
}

/** "APPROVE 10 · REVOKE 3", biggest count first; undefined when there is nothing to count. */
export function countsText(counts: Record<string, number>): string | undefined {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return undefined;
  entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.map(([k, n]) => `${k} ${n}`).join(' · ');
}
