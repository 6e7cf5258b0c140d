/**
 * Reading `target[]` when debugData is silent. Targets are Okta's "ResourceDetails" (event type catalog):
 * a list of {id, type, alternateId, displayName}. We only take a fact from them when it is unambiguous.
 */
import type { Party, Resource } from '../domain/records.ts';
import { field, partyOf, realText, targetType, targetsOf, targetsOfType, text, type RawEvent } from './fields.ts';

/** The target with this id, else the only candidate when there is exactly one: never a guess between two. */
export function soleOrMatching(candidates: readonly RawEvent[], id: string | undefined): RawEvent | undefined {
  if (id !== undefined) return candidates.find((t) => text(field(t, 'id')) === id);
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Rewrites a target's name before it is stored (phone numbers are masked, see phone.ts). */
export type NameMask = (name: string, type: string | undefined) => string;

/** "Type: name" for cards, name = displayName, else alternateId, else id. */
export function targetLabel(t: RawEvent, mask?: NameMask): string | undefined {
  const type = targetType(t);
  const found = realText(field(t, 'displayName')) ?? realText(field(t, 'alternateId')) ?? text(field(t, 'id'));
  if (found === undefined) return type;
  const name = mask === undefined ? found : mask(found, type);
  return type === undefined ? name : `${type}: ${name}`;
}

/** Every target as "Type: name"; undefined when there is none, so the record key is left out. */
export function targetLabels(raw: RawEvent, mask?: NameMask): string[] | undefined {
  const labels = targetsOf(raw)
    .map((t) => targetLabel(t, mask))
    .filter((l): l is string => l !== undefined);
  return labels.length > 0 ? labels : undefined;
}

/** Target types Okta uses for a reviewed resource, and the `campaignItemResourceType` value they stand for. */
const RESOURCE_TYPE_OF_TARGET: Readonly<Record<string, string>> = {
  appinstance: 'APPLICATION',
  group: 'GROUP',
  usergroup: 'GROUP',
};

/** The application/group target with this id (or the only one), as a Resource with APPLICATION/GROUP type. */
export function resourceTarget(raw: RawEvent, id: string | undefined): Resource | undefined {
  const target = soleOrMatching(targetsOfType(raw, ...Object.keys(RESOURCE_TYPE_OF_TARGET)), id);
  const party = partyOf(target);
  if (target === undefined || party === undefined) return undefined;
  return { id: party.id, name: party.name, type: RESOURCE_TYPE_OF_TARGET[(targetType(target) ?? '').toLowerCase()] };
}

/** The User target with this id; without an id, the only User target that is none of `notThese`. */
export function userTarget(
  raw: RawEvent,
  id: string | undefined,
  notThese: readonly (string | undefined)[] = [],
): Party | undefined {
  const users = targetsOfType(raw, 'User');
  // Without an id, the actor/reviewer may sit among the User targets too: never take them for the principal.
  const candidates = id === undefined ? users.filter((u) => !notThese.includes(text(field(u, 'id')))) : users;
  return partyOf(soleOrMatching(candidates, id));
}

/** The target whose type names it (e.g. "CertificationCampaign" for /campaign/i), matched by id or alone. */
export function namedTarget(raw: RawEvent, typePattern: RegExp, id: string | undefined): Party | undefined {
  const targets = targetsOf(raw).filter((t) => typePattern.test(targetType(t) ?? ''));
  return partyOf(soleOrMatching(targets, id));
}
