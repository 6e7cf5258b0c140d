/**
 * The "more" button of a paged answer. Its value carries the words typed and the page to show, so a click
 * re-runs the query (answers are computed from memory in milliseconds) instead of keeping pages in a
 * server-side cache that a restart would lose. Slack limits a button value to 2000 characters.
 */
import { SLACK_LIMITS as L } from '../render/limits.ts';

export const MORE_ACTION = 'oig_more';

export function encodeMore(text: string, page: number): string {
  // JSON escaping can grow the text: clip until it fits
  let t = text.slice(0, L.buttonValue - 40);
  let value = JSON.stringify({ t, p: page });
  while (value.length > L.buttonValue) {
    t = t.slice(0, t.length - 100);
    value = JSON.stringify({ t, p: page });
  }
  return value;
}

/** undefined for anything that is not a value we made (a forged or truncated click) */
export function decodeMore(value: string | undefined): { text: string; page: number } | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const { t, p } = v as { t?: unknown; p?: unknown };
    if (typeof t !== 'string' || typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 1_000_000) return undefined;
    return { text: t, page: p };
  } catch {
    return undefined;
  }
}
