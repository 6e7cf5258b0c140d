/**
 * Size limits for Teams messages. Teams refuses a bot message larger than about 28 KB (the whole activity,
 * card included: "Format your bot messages", learn.microsoft.com), so a card is kept within 24,000 UTF-8
 * bytes, which leaves room for the activity envelope. Bytes, not characters: a name in a non-Latin script
 * takes up to three bytes per character. The per-text limits keep one absurd Okta value from using the
 * budget of the whole card.
 */
import type { AdaptiveCard, CardElement, Fact, FactSet } from './adaptive-card-types.ts';

export const TEAMS_LIMITS = {
  cardBytes: 24_000,
  titleText: 250,
  factTitle: 100,
  factValue: 1000,
  noteText: 2000,
  lineText: 500,
  /** the activity's `summary`: a notification line */
  summaryText: 1000,
} as const;

/** UTF-8 size of a value as it will be sent. */
export function jsonSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** One part of a card body: an element, or one fact (consecutive facts are shown as one FactSet). */
export type BodyPart = CardElement | Fact;

const isFact = (p: BodyPart): p is Fact => !('type' in p);
const FACT_SET_SIZE = jsonSize({ type: 'FactSet', facts: [] } satisfies FactSet) + 1;

function group(parts: readonly BodyPart[]): CardElement[] {
  const out: CardElement[] = [];
  for (const p of parts) {
    if (!isFact(p)) out.push(p);
    else {
      const last = out.at(-1);
      if (last?.type === 'FactSet') last.facts.push(p);
      else out.push({ type: 'FactSet', facts: [p] });
    }
  }
  return out;
}

/**
 * `card` with as many of `parts` as fit in TEAMS_LIMITS.cardBytes added to its body, in order, then `tail`.
 * Parts are dropped from the end, never cut, and `shortened(n)` says how many did not fit. The room for that
 * notice is always kept, so the result is within the budget whether or not it is needed.
 */
export function fitBody(
  card: AdaptiveCard,
  parts: readonly BodyPart[],
  tail: readonly CardElement[],
  shortened: (dropped: number) => CardElement,
): AdaptiveCard {
  const frame: AdaptiveCard = { ...card, body: [...card.body, ...tail] };
  // every added element adds at most its own size and one comma
  let room = TEAMS_LIMITS.cardBytes - jsonSize(frame) - (jsonSize(shortened(parts.length)) + 1);
  let kept = 0;
  let inFacts = false;
  for (const p of parts) {
    const cost = jsonSize(p) + 1 + (isFact(p) && !inFacts ? FACT_SET_SIZE : 0);
    if (cost > room) break;
    room -= cost;
    inFacts = isFact(p);
    kept += 1;
  }
  const dropped = parts.length - kept;
  const body = [...card.body, ...group(parts.slice(0, kept)), ...(dropped > 0 ? [shortened(dropped)] : []), ...tail];
  return { ...card, body };
}
