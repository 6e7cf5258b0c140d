/**
 * One ASA capture run's page loop (SPEC §6): from the checkpoint on, while full pages come back. Each
 * page's events are resolved (normalize/asa.ts) and handed to the intake; only once they are durable does
 * the checkpoint move. A page that is not full, or has no next link, is the last one: the checkpoint stays
 * at its offset so the next run reads it again (it may have filled up; what is already stored is skipped).
 */
import type { Logger } from 'pino';
import type { EventRecord } from '../domain/records.ts';
import { AppError } from '../errors.ts';
import type { Intake } from '../intake/intake.ts';
import { normalizeAsaEvent } from '../normalize/asa.ts';
import type { StateDoc } from '../store/state-store.ts';
import type { AsaCheckpoint } from './asa-checkpoint.ts';
import type { AsaClient, AsaPage } from './asa-client.ts';
import type { AsaRunEntry } from '../pollers/run-entry.ts';

export interface CatchUpDeps {
  client: AsaClient;
  intake: Pick<Intake, 'receiveRecords'>;
  checkpoint: StateDoc<AsaCheckpoint>;
  /** ASA_PAGE_SIZE, ASA_TEAM, ASA_BASE_URL */
  pageSize: number;
  team: string;
  baseUrl: string;
  notable: ReadonlySet<string>;
  log: Logger;
  now: () => number;
}

/** pages until caught up; adds to `entry` as it goes, so a failure still reports what was done */
export async function catchUp(d: CatchUpDeps, entry: AsaRunEntry): Promise<void> {
  let offset = d.checkpoint.data.offset;
  let url = d.client.pageUrl(d.pageSize, offset);
  for (;;) {
    const page = await d.client.page(url);
    const records = toRecords(d, page);
    // durable before the checkpoint moves past these events
    const result = records.length > 0 ? await d.intake.receiveRecords(records, 'asa') : undefined;
    entry.pages++;
    entry.read += page.events.length;
    entry.stored += result?.stored.length ?? 0;
    entry.duplicates += result?.duplicates ?? 0;

    const full = page.events.length >= countOf(url, d.pageSize);
    if (!full || page.next === undefined) {
      await save(d, offset, page.events.length, true);
      entry.caughtUp = true;
      return;
    }
    const nextOffset = new URL(page.next).searchParams.get('offset') ?? undefined;
    if (nextOffset === undefined) throw new AppError('ASA_BAD_PAGE', 'ASA auditsV2 page: the next link has no offset, so capture cannot continue from it', 502);
    if (nextOffset === offset) throw new AppError('ASA_BAD_PAGE', `ASA auditsV2 page: the next link repeats the offset just read (${offset})`, 502);
    await save(d, nextOffset, page.events.length, false);
    offset = nextOffset;
    url = page.next;
  }
}

function toRecords(d: CatchUpDeps, page: AsaPage): EventRecord[] {
  const now = () => new Date(d.now());
  return page.events.map((event) => {
    const { record, warning } = normalizeAsaEvent(event, page.related, { notableTypes: d.notable, now });
    if (warning) d.log.warn({ event: record.id }, warning);
    return record;
  });
}

function save(d: CatchUpDeps, offset: string | undefined, size: number, finished: boolean): Promise<void> {
  const at = new Date(d.now()).toISOString();
  return d.checkpoint.update((cp) => {
    if (offset === undefined) delete cp.offset;
    else cp.offset = offset;
    cp.lastPageSize = size;
    cp.team = d.team;
    cp.baseUrl = d.baseUrl;
    if (finished) cp.lastRunAt = at;
  });
}

/** the `count` the page was asked with: a page with that many events is full */
function countOf(url: string, fallback: number): number {
  const n = Number(new URL(url).searchParams.get('count'));
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
