/**
 * `/oig …` words → a typed query (STYLE practice 4: parse, then run). Pure and table-tested.
 *
 * Forgiving on purpose: people type in a hurry on a phone. Words are case-insensitive, spacing is free,
 * names with spaces need no quotes (quotes are dropped if given), a plural or singular command word both
 * work, and an unknown word answers with the help instead of an error. Only a `since` that means nothing
 * gets a message of its own, because silently ignoring it would show the wrong period.
 */
import type { OigQuery, ParsedCommand, Since } from './query.ts';

const ALIASES: Record<string, OigQuery['kind']> = {
  help: 'help', '?': 'help',
  revokes: 'revokes', revoke: 'revokes', revoked: 'revokes',
  skipped: 'skipped', skip: 'skipped', manual: 'skipped', tasks: 'skipped',
  campaign: 'campaign', campaigns: 'campaign',
  user: 'user', users: 'user', who: 'user',
  resource: 'resource', resources: 'resource', app: 'resource', group: 'resource',
  requests: 'requests', request: 'requests',
  asa: 'asa',
  stats: 'stats', stat: 'stats', status: 'stats',
};

const UNITS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** the words of the command, quotes dropped, odd spacing (tabs, non-breaking spaces) ignored */
function words(text: string): string[] {
  return text.replace(/["“”‘’`]/g, ' ').split(/[\s\u00a0]+/).filter((w) => w !== '');
}

/** `7d`, `24h`, `2w`, `30 days`-style one-word forms, or a calendar date / ISO timestamp */
export function parseSince(text: string): Since | undefined {
  const t = text.trim().toLowerCase();
  const rel = /^(\d{1,4})\s*(m|min|h|d|w)$/.exec(t);
  if (rel) {
    const ms = Number(rel[1]) * UNITS[rel[2]!]!;
    return ms > 0 ? { kind: 'relative', ms, text: t } : undefined;
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})(t[\d:.]+z?)?$/.exec(t);
  if (!date) return undefined;
  const ms = Date.parse(date[4] ? t.toUpperCase() : `${t}T00:00:00.000Z`);
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  // Date.parse rolls 2026-02-31 over to March: refuse dates that are not on the calendar
  if (iso.slice(0, 10) !== t.slice(0, 10)) return undefined;
  return { kind: 'date', iso, text: t };
}

const badSince = (value: string | undefined): OigQuery => ({
  kind: 'invalid',
  message: value
    ? `\`since ${value}\` is not a period I understand: use a number of days or hours (\`since 7d\`, \`since 24h\`) or a date (\`since 2026-11-01\`).`
    : '`since` needs a period: `since 7d`, `since 24h` or `since 2026-11-01`.',
});

function parseRevokes(rest: string[]): OigQuery {
  const lower = rest.map((w) => w.toLowerCase());
  const s = lower.lastIndexOf('since');
  let since: Since | undefined;
  let nameWords = rest;
  if (s >= 0) {
    const value = rest[s + 1];
    since = value === undefined ? undefined : parseSince(value);
    if (!since) return badSince(value);
    nameWords = [...rest.slice(0, s), ...rest.slice(s + 2)];
  }
  // "revokes campaign Q2 review" and, forgivingly, "revokes Q2 review"
  if (nameWords[0]?.toLowerCase() === 'campaign') nameWords = nameWords.slice(1);
  const campaign = nameWords.join(' ');
  return { kind: 'revokes', ...(campaign ? { campaign } : {}), ...(since ? { since } : {}) };
}

function parseQuery(all: string[]): OigQuery {
  const [first, ...rest] = all;
  if (first === undefined) return { kind: 'help' };
  const kind = ALIASES[first.toLowerCase()];
  const name = rest.join(' ');
  switch (kind) {
    case undefined:
      return { kind: 'help', unknown: first };
    case 'help':
    case 'skipped':
    case 'stats':
      return { kind };
    case 'revokes':
      return parseRevokes(rest);
    case 'campaign':
    case 'user':
    case 'resource':
      return name ? { kind, name } : { kind: 'invalid', message: `\`${kind}\` needs a name: \`/oig ${kind} <${kind === 'user' ? 'name, login or id' : 'name or id'}>\`.` };
    case 'requests': {
      const word = name.toLowerCase();
      if (word === '' || word === 'all') return { kind, open: false };
      if (word === 'open' || word === 'pending') return { kind, open: true };
      return { kind: 'help', unknown: `${first} ${rest[0] ?? ''}`.trim() };
    }
    case 'asa':
      return name ? { kind, target: name } : { kind };
    default:
      return { kind: 'help' };
  }
}

export function parseCommand(text: string | undefined): ParsedCommand {
  const all = words(text ?? '');
  if (all[0]?.toLowerCase() !== 'export') return { query: parseQuery(all), export: false };
  const query = parseQuery(all.slice(1));
  if (query.kind === 'help' && !query.unknown) {
    return { query: { kind: 'invalid', message: '`export` needs a command to export, e.g. `/oig export revokes since 30d`.' }, export: false };
  }
  // an export of help or of a mistake is just the help or the mistake
  return { query, export: query.kind !== 'help' && query.kind !== 'invalid' };
}
