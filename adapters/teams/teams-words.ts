/**
 * What a Teams message to the bot asks for (issue 7). In a channel the bot hears only messages that
 * @mention it; botbuilder strips the mention, leaving e.g. `oig revokes since 7d`. The leading `oig` (or
 * `/oig`, as Slack users type it) is optional, so `@OIG revokes` works too, and in a personal chat plain
 * `revokes` does. Besides the `/oig` commands Teams has two of its own: `subscribe [families…]` and
 * `unsubscribe`, because Teams has no SLACK_CHANNEL_<FAMILY> variables: channels choose themselves.
 * Pure: table-tested in test/teams/teams-words.test.ts.
 */
import { ROUTE_FAMILIES, type RouteFamily } from '../../src/cards/card.ts';

export type TeamsWords =
  | { kind: 'subscribe'; families: RouteFamily[]; unknown: string[] }
  | { kind: 'unsubscribe' }
  /** `text`: the words for the /oig parser (src/commands/parse.ts), without `oig` */
  | { kind: 'oig'; text: string };

/** words people use for a family, besides its own name */
const FAMILY_WORDS: Readonly<Record<string, RouteFamily>> = {
  certification: 'CERTIFICATION', certifications: 'CERTIFICATION', campaigns: 'CERTIFICATION', campaign: 'CERTIFICATION',
  access_request: 'ACCESS_REQUEST', requests: 'ACCESS_REQUEST', request: 'ACCESS_REQUEST', 'access-request': 'ACCESS_REQUEST',
  access_review: 'ACCESS_REVIEW', reviews: 'ACCESS_REVIEW', review: 'ACCESS_REVIEW', 'access-review': 'ACCESS_REVIEW',
  system: 'SYSTEM', alerts: 'SYSTEM',
  asa: 'ASA',
  manual: 'MANUAL', tasks: 'MANUAL', skipped: 'MANUAL',
};

/** Teams may leave HTML entities and non-breaking spaces around a removed mention */
function clean(text: string): string {
  return text
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function readWords(raw: string | undefined): TeamsWords {
  const text = clean(raw ?? '').replace(/^\/?oig\b\s*/i, '');
  // only `subscribe` takes a list: `certification,manual` and `subscribe, manual` are lists too
  const [first = '', ...rest] = text.split(/[\s,;]+/);
  const verb = first.toLowerCase();
  if (verb === 'unsubscribe') return { kind: 'unsubscribe' };
  if (verb === 'subscribe') {
    const families: RouteFamily[] = [];
    const unknown: string[] = [];
    for (const word of rest.filter(Boolean)) {
      const w = word.toLowerCase();
      if (w === 'all' || w === 'everything') continue;
      const family = FAMILY_WORDS[w] ?? ROUTE_FAMILIES.find((f) => f.toLowerCase() === w);
      if (family) families.push(family);
      else unknown.push(word.slice(0, 40));
    }
    return { kind: 'subscribe', families: [...new Set(families)], unknown };
  }
  // the /oig words as typed: commas may be part of a campaign's name
  return { kind: 'oig', text };
}

/** the family names people write: "certification, access_request, …" */
export const FAMILY_NAMES = ROUTE_FAMILIES.map((f) => f.toLowerCase()).join(', ');

/** the families in words people read: "certification, manual" */
export function familiesText(families: readonly RouteFamily[]): string {
  return families.length === ROUTE_FAMILIES.length ? 'all cards' : families.map((f) => f.toLowerCase()).join(', ');
}
