/**
 * Digest cards (SPEC §5 "many events at once become a digest, never a flood"): when a campaign closes, Okta
 * logs a NORESPONSE decision for every unreviewed item and the remediations follow, hundreds in a minute.
 * Instead of one message each, the digest stage (src/delivery/digest.ts) collects them and these builders
 * make three kinds of message from what it collected:
 *
 *   - the digest itself (CERTIFICATION): totals, and the REVOKE / manual items named, updated in place;
 *   - detail parts, replies in the digest's thread, one line of detail per listed item;
 *   - a manual-remediation digest (MANUAL), so the work-queue channel hears about the SKIPPED items.
 *
 * Pure; the lines are untrusted text like every other card value.
 */
import type { CampaignRef, Party, Resource } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import type { Card, CardSection } from './card.ts';
import { MAX_TITLE, campaignText, clip, countsText, facts, notes, partyShort, partyText, resourceText, timeText } from './format.ts';
import type { RemediationSummary } from './remediation-status.ts';

/** One campaign item a digest names: a REVOKE decision or a remediation that needs manual work. */
export interface DigestItem {
  item: string;
  principal: Party;
  resource: Resource;
  reviewer?: Party;
  decision?: string;
  notes?: string;
  remediation?: RemediationSummary;
}

/** What the digest stage collected for one burst of one campaign. */
export interface DigestView {
  /** the message key of the digest; parts and the manual digest derive theirs from it */
  key: string;
  campaign: CampaignRef;
  /** certification item events of this campaign collected (decisions and remediations) */
  events: number;
  /** decision events in this burst by value (APPROVE, REVOKE, NORESPONSE …) */
  decisions: Record<string, number>;
  /** remediation events in this burst by the label a person reads (SUCCESS, SKIPPED …) */
  remediations: Record<string, number>;
  /** event times (Okta `published`) of the oldest and newest collected event */
  firstAt?: string;
  lastAt?: string;
  /** the items named, in the order they arrived; `part` of each is its index / PART_SIZE */
  items: readonly DigestItem[];
  /** further REVOKE / manual items beyond MAX_LISTED, counted only */
  unlisted: number;
  /** the whole campaign as the store knows it */
  totals: CampaignTotals;
}

/** items per detail reply: 40 one-line items stay far inside Slack's 50 blocks and Teams' payload limit */
export const PART_SIZE = 40;
/** items named in all parts together; beyond that only counts (a thread of 5 replies is still readable) */
export const MAX_LISTED = 5 * PART_SIZE;
/** lines per list in the digest message itself */
const LIST_IN_DIGEST = 15;
/** lines in the manual-remediation digest */
const LIST_IN_MANUAL = 40;
const MAX_LINE = 300;

export const digestPartKey = (key: string, part: number): string => `${key}:part:${part}`;
export const manualDigestKey = (key: string): string => `${key}:manual`;

const isRevoke = (i: DigestItem): boolean => i.decision?.toUpperCase() === 'REVOKE';
const isManual = (i: DigestItem): boolean => i.remediation?.manual === true;

function shortLine(i: DigestItem): string {
  const status = i.remediation ? ` — ${i.remediation.label}` : '';
  return clip(`${partyShort(i.principal)} · ${resourceText(i.resource)}${status}`, MAX_LINE);
}

function detailLine(i: DigestItem): string {
  const by = i.reviewer ? ` by ${partyText(i.reviewer)}` : '';
  const rem = i.remediation ? `remediation ${i.remediation.label}: ${i.remediation.meaning}` : 'remediation pending';
  const note = i.notes?.trim() ? ` · notes: ${clip(i.notes.trim(), 200)}` : '';
  return clip(`${partyText(i.principal)} · ${resourceText(i.resource)} · ${i.decision ?? 'decision unknown'}${by} · ${rem}${note}`, MAX_LINE * 2);
}

function listSection(title: string, items: readonly DigestItem[], max: number, extra = 0): CardSection | undefined {
  if (items.length === 0 && extra === 0) return undefined;
  const lines = items.slice(0, max).map(shortLine);
  const more = items.length - lines.length + extra;
  return { title: `${title} (${items.length + extra})`, lines, ...(more > 0 ? { more } : {}) };
}

const nameOf = (v: DigestView): string => campaignText(v.campaign) ?? 'unnamed campaign';

/** The digest message: totals and the items worth a look, updated in place while the burst lasts. */
export function buildDigestCard(v: DigestView): Card {
  const name = nameOf(v);
  const revoked = v.items.filter(isRevoke);
  const manual = v.items.filter(isManual);
  const sections = [
    listSection('Revoked', revoked, LIST_IN_DIGEST),
    listSection('Manual remediation needed', manual, LIST_IN_DIGEST),
  ].filter((s): s is CardSection => s !== undefined);
  return {
    kind: 'digest',
    family: 'CERTIFICATION',
    severity: manual.length > 0 ? 'warning' : 'info',
    title: clip(`Campaign digest: ${name}`, MAX_TITLE),
    facts: facts(
      ['Campaign', name],
      ['Campaign id', v.campaign.name ? v.campaign.id : undefined],
      ['Events collected', String(v.events)],
      ['From', timeText(v.firstAt)],
      ['To', timeText(v.lastAt)],
      ['Decisions (burst)', countsText(v.decisions)],
      ['Remediations (burst)', countsText(v.remediations)],
      ['Campaign items', v.totals.items > 0 ? String(v.totals.items) : undefined],
      ['Campaign decisions', countsText(v.totals.decisions)],
      ['Campaign remediations', countsText(v.totals.remediations)],
    ),
    notes: notes(
      'Many events arrived at once for this campaign, so they are collected here instead of posted one by one. '
        + (v.items.length > 0 ? 'Every listed item has a line of detail in the thread.' : ''),
      v.unlisted > 0 ? `${v.unlisted} more item(s) are counted but not listed: see /oig revokes campaign ${name}.` : undefined,
      manual.length > 0 ? 'Open manual-remediation tasks: /oig skipped.' : undefined,
    ),
    ...(sections.length > 0 ? { sections } : {}),
    key: v.key,
    eventIds: [],
    at: v.lastAt ?? v.firstAt ?? new Date(0).toISOString(),
  };
}

/** How many detail parts the view has. */
export function digestParts(v: DigestView): number {
  return Math.ceil(v.items.length / PART_SIZE);
}

/** One reply in the digest's thread: full detail for items part*PART_SIZE … +PART_SIZE. */
export function buildDigestPartCard(v: DigestView, part: number): Card {
  const from = part * PART_SIZE;
  const items = v.items.slice(from, from + PART_SIZE);
  return {
    kind: 'digest',
    family: 'CERTIFICATION',
    severity: items.some(isManual) ? 'warning' : 'info',
    title: clip(`Details ${from + 1}–${from + items.length}: ${nameOf(v)}`, MAX_TITLE),
    facts: [],
    sections: [{ title: 'Items', lines: items.map(detailLine) }],
    key: digestPartKey(v.key, part),
    threadKey: v.key,
    eventIds: [],
    at: v.lastAt ?? v.firstAt ?? new Date(0).toISOString(),
  };
}

/** The work-queue channel's view of the burst; undefined while no item needs manual work. */
export function buildManualDigestCard(v: DigestView): Card | undefined {
  const manual = v.items.filter(isManual);
  if (manual.length === 0) return undefined;
  const name = nameOf(v);
  const section = listSection('Items', manual, LIST_IN_MANUAL);
  return {
    kind: 'digest',
    family: 'MANUAL',
    severity: 'warning',
    title: clip(`Manual remediation needed: ${manual.length} item(s) of ${name}`, MAX_TITLE),
    facts: facts(['Campaign', name], ['Campaign id', v.campaign.name ? v.campaign.id : undefined]),
    notes: notes(
      'Okta could not remove these accesses (SKIPPED), usually because they come from a group rule, an app '
        + 'assigned through a group, or a policy. Each has its own task card with Claim / Mark done / Verify '
        + 'buttons in this channel; /oig skipped lists every open one with the same buttons.',
    ),
    ...(section ? { sections: [section] } : {}),
    key: manualDigestKey(v.key),
    eventIds: [],
    at: v.lastAt ?? v.firstAt ?? new Date(0).toISOString(),
  };
}
