/**
 * Forgiving name matching over an index's keys (issue 5): exact, then prefix, then contains, all
 * case-insensitive (keys are stored lower-cased). One candidate wins; several become "did you mean".
 * Exact hits cost one map lookup; only a miss scans the keys (50k people × 3 keys at 1M events: a few ms).
 */
import type { EventStore } from '../store/event-store.ts';
import type { IndexName } from '../store/index-keys.ts';
import { normalizeKey } from '../store/index-keys.ts';

export type Match =
  | { kind: 'found'; key: string; how: 'exact' | 'prefix' | 'contains' }
  | { kind: 'ambiguous'; candidates: string[]; total: number }
  | { kind: 'none' };

/** how many candidates "did you mean" lists */
export const SUGGESTIONS = 8;

export function matchKey(store: Pick<EventStore, 'keys' | 'lookup'>, index: IndexName, typed: string, accept: (key: string) => boolean = () => true): Match {
  const want = normalizeKey(typed);
  if (want === '') return { kind: 'none' };
  if (store.lookup(index, want).length > 0 && accept(want)) return { kind: 'found', key: want, how: 'exact' };
  const prefix: string[] = [];
  const contains: string[] = [];
  for (const key of store.keys(index)) {
    if (key.startsWith(want)) {
      if (accept(key)) prefix.push(key);
    } else if (prefix.length === 0 && key.includes(want) && accept(key)) contains.push(key);
  }
  const list = prefix.length > 0 ? prefix : contains;
  if (list.length === 1) return { kind: 'found', key: list[0]!, how: prefix.length > 0 ? 'prefix' : 'contains' };
  if (list.length === 0) return { kind: 'none' };
  const sameThing = collapse(store, index, list);
  if (sameThing) return { kind: 'found', key: sameThing, how: prefix.length > 0 ? 'prefix' : 'contains' };
  list.sort();
  return { kind: 'ambiguous', candidates: list.slice(0, SUGGESTIONS), total: list.length };
}

/**
 * A person is indexed under id, login and name: "ali" may hit "alice example" and "alice@example.com",
 * which are one person. When every candidate lists the same records, they are one thing: take it.
 */
function collapse(store: Pick<EventStore, 'lookup'>, index: IndexName, keys: string[]): string | undefined {
  if (keys.length > 3) return undefined;
  const first = store.lookup(index, keys[0]!);
  for (const k of keys.slice(1)) {
    const other = store.lookup(index, k);
    if (other.length !== first.length || other[0] !== first[0]) return undefined;
  }
  return keys[0];
}

export function didYouMean(what: string, typed: string, m: Extract<Match, { kind: 'ambiguous' }>): string {
  const more = m.total > m.candidates.length ? ` (and ${m.total - m.candidates.length} more)` : '';
  return `Several ${what}s match “${typed}”: did you mean ${m.candidates.map((c) => `“${c}”`).join(', ')}${more}?`;
}
