/**
 * A group commit's records as the one JSON array the append statement reads (event-log-sql.ts). Ids that
 * repeat within the batch are left out here (the first wins, as in the lowdb store); the database refuses
 * the ones it already holds. A delivery's JSON, made by the normalizer worker, is sent as it is when it
 * holds exactly the records to send: the main thread does not serialize them again.
 */
import type { EventRecord } from '../../domain/records.ts';

export interface Submission {
  records: readonly EventRecord[];
  /** JSON.stringify(records), when the caller has it */
  json?: string;
}

/** the array text, and per submission the records in it (candidates: the database says which are new) */
export function batchJson(batch: readonly Submission[]): { json: string; candidates: EventRecord[][] } {
  const seen = new Set<string>();
  const parts: string[] = [];
  const candidates = batch.map(({ records, json }) => {
    const mine = records.filter((r) => !seen.has(r.id) && seen.add(r.id));
    if (mine.length === 0) return mine;
    // positions are given by the database: a record that has one is sent without it
    const asIs = json !== undefined && mine.length === records.length && !mine.some((r) => r.seq !== undefined);
    const part = asIs ? json.slice(json.indexOf('[') + 1, json.lastIndexOf(']')) : JSON.stringify(mine.map(withoutSeq)).slice(1, -1);
    if (part.trim() !== '') parts.push(part);
    return mine;
  });
  return { json: `[${parts.join(',')}]`, candidates };
}

function withoutSeq(r: EventRecord): EventRecord {
  if (r.seq === undefined) return r;
  const { seq: _seq, ...rest } = r;
  return rest as EventRecord;
}
