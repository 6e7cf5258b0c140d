/**
 * The neutral answer to a query: what Slack renders as Block Kit, Teams as an Adaptive Card, and export
 * as CSV. No chat product's types here (issue 5: the Teams adapter reuses this model).
 */
import type { CardAction } from '../cards/card.ts';

/** one result: a readable line for chat, and the same facts as cells for CSV (in `columns` order) */
export interface AnswerRow {
  line: string;
  cells: string[];
  /**
   * The buttons of this row (a task of `/oig skipped`: the same ids and values as its task card), so a task
   * whose card was never posted can still be acted on from chat (issue 11 §2). Chat only: CSV ignores them.
   */
  actions?: CardAction[];
}

export interface Answer {
  title: string;
  /** how many results matched (every answer says it, SPEC §5 / issue 5) */
  matched: number;
  /** what `matched` counts when it is not the rows ("items" of a campaign) */
  unit?: string;
  /** fixed lines shown above the rows on every page: totals, "did you mean", what was searched */
  summary: string[];
  columns: string[];
  /** every row, newest or most relevant first; pages are cut from here */
  rows: AnswerRow[];
  /** a problem to show prominently (a bad `since`, "work queue not available") */
  notice?: string;
  /** rows per page when not PAGE_SIZE: rows with buttons take more room in a message */
  pageSize?: number;
  /** shown instead of the "N matched" line when the answer has no count to give (still loading) */
  countLine?: string;
}

export interface AnswerPage {
  answer: Answer;
  rows: AnswerRow[];
  /** 0-based */
  page: number;
  pages: number;
  /** the page to ask for next, when there is one */
  next?: number;
}

/** rows per chat page: a Slack message holds 50 blocks; a screenful of lines reads better anyway */
export const PAGE_SIZE = 20;

export function pageOf(answer: Answer, page: number, size = answer.pageSize ?? PAGE_SIZE): AnswerPage {
  const pages = Math.max(1, Math.ceil(answer.rows.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  return {
    answer,
    rows: answer.rows.slice(p * size, (p + 1) * size),
    page: p,
    pages,
    ...(p + 1 < pages ? { next: p + 1 } : {}),
  };
}

/** "3 matched", "1 matched": the count line every answer carries */
export function matchedLine(p: AnswerPage): string {
  if (p.answer.countLine) return p.answer.countLine;
  const shown = p.rows.length === 0 ? '' : p.pages > 1 ? ` · page ${p.page + 1} of ${p.pages}` : '';
  return `${p.answer.matched}${p.answer.unit ? ` ${p.answer.unit}` : ''} matched${shown}`;
}

export function emptyAnswer(title: string, summary: string[] = [], notice?: string): Answer {
  return { title, matched: 0, summary, columns: [], rows: [], ...(notice ? { notice } : {}) };
}

/**
 * Rows formatted only when read. `/oig revokes` at 1M events matches ~70k decisions; formatting them all
 * for a page of 20 cost ~100 ms (bench/oig-query.ts), so the answer keeps the records and formats the rows
 * a page (or an export) actually reads. It behaves as a plain array (length, index, slice, map).
 */
export function lazyRows<T>(items: readonly T[], format: (item: T) => AnswerRow): AnswerRow[] {
  return lazyRowsAt(items.length, (i) => items[i]!, format);
}

/** lazyRows over `length` items that `itemAt` hands out on demand (a merge that runs only as far as read) */
export function lazyRowsAt<T>(length: number, itemAt: (i: number) => T, format: (item: T) => AnswerRow): AnswerRow[] {
  const cache: Array<AnswerRow | undefined> = new Array<AnswerRow | undefined>(length);
  return new Proxy(cache as AnswerRow[], {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) {
        const i = Number(prop);
        if (i >= length) return undefined;
        return (target[i] ??= format(itemAt(i)));
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
    has(target, prop) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) return Number(prop) < length;
      return Reflect.has(target, prop);
    },
  });
}
