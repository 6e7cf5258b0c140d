/** `/oig campaign <name or id>`: totals by decision and by remediation outcome, plus the campaign's open tasks. */
import type { CampaignRef } from '../domain/records.ts';
import { emptyAnswer, type Answer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { when } from './describe.ts';
import { didYouMean, matchKey } from './matcher.ts';
import type { OigQuery } from './query.ts';
import { NO_QUEUE, TASK_COLUMNS, taskRows } from './skipped.ts';

const counts = (c: Record<string, number>): string =>
  Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none yet';

export function campaign(q: Extract<OigQuery, { kind: 'campaign' }>, deps: CommandDeps): Answer {
  const m = matchKey(deps.store, 'campaign', q.name);
  const title = `Campaign “${q.name}”`;
  if (m.kind === 'none') return emptyAnswer(title, [], `No campaign matches “${q.name}”.`);
  if (m.kind === 'ambiguous') return emptyAnswer(title, [], didYouMean('campaign', q.name, m));
  const records = deps.store.lookup('campaign', m.key);
  let ref: CampaignRef = {};
  const lifecycle: string[] = [];
  for (const r of records) {
    if (r.kind === 'decision' || r.kind === 'remediation' || r.kind === 'campaign') {
      if (!ref.id && !ref.name) ref = r.campaign;
      if (r.kind === 'campaign') lifecycle.push(`${r.action} ${when(r.at)}`);
    } else if (r.kind === 'access_review' && !ref.id && !ref.name) {
      ref = r.review;
    }
  }
  const totals = deps.store.campaignTotals(ref);
  const now = deps.now?.() ?? new Date();
  const mine = (deps.tasks?.openTasks() ?? []).filter((t) => (ref.id && t.campaign.id === ref.id) || (!ref.id && ref.name && t.campaign.name === ref.name));
  const rows = deps.tasks ? taskRows(mine, deps.tasks, now) : [];
  const summary = [
    `${ref.name ?? m.key}${ref.id ? ` (${ref.id})` : ''}: ${totals.items} items`,
    `Decisions: ${counts(totals.decisions)}`,
    `Remediations: ${counts(totals.remediations)}`,
    ...(lifecycle.length ? [`Lifecycle: ${lifecycle.slice(-3).join(' · ')}`] : []),
    deps.tasks ? `Open tasks: ${rows.length}` : NO_QUEUE,
  ];
  // what matched is the campaign's items; the rows are its open tasks
  return { title: `Campaign ${ref.name ?? m.key}`, matched: totals.items, unit: 'items', summary, columns: TASK_COLUMNS, rows };
}
