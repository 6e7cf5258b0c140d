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

/**
 * A date-time as typed: `2026-11-01`, `2026-11-01T08:00`, `…T08:00:30.5`, each optionally ending in `Z` or an
 * offset `+02:00` / `-0700`. Lower case here: the words are lower-cased before matching.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(z|[+-]\d{2}:?\d{2})?$/;

/**
 * `7d`, `24h`, `2w`, `30m`-style one-word periods, or a date / date-time.
 *
 * A date-time without an offset is UTC, like a date alone and like every time the bot shows ("… UTC"): an
 * answer must not depend on the server's time zone (`Date.parse("2026-11-01T08:00")` is local time). An
 * offset, when given, is honoured. Anything not on the calendar or the clock (Feb 31, 25:00, +15:00) is refused.
 */
export function parseSince(text: string): Since | undefined {
  const t = text.trim().toLowerCase();
  const rel = /^(\d{1,4})\s*(m|min|h|d|w)$/.exec(t);
  if (rel) {
    const ms = Number(rel[1]) * UNITS[rel[2]!]!;
    return ms > 0 ? { kind: 'relative', ms, text: t } : undefined;
  }
  const m = DATE_TIME.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'z'] = m;
  // Date.UTC rolls 2026-02-31 over to March: refuse what is not on the calendar or the clock
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offsetMs = 0;
  if (zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(-2));
    if (oh > 14 || om > 59) return undefined;
    offsetMs = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = Math.round(Number(`0${frac || '.0'}`) * 1000);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offsetMs;
  if (!Number.isFinite(utc)) return undefined;
  return { kind: 'date', iso: new Date(utc).toISOString(), text: t };
}

const badSince = (value: string | undefined): OigQuery => ({
  kind: 'invalid',
  message: value
    ? `“since ${value}” is not a period I understand: use a number of days or hours (since 7d, since 24h) or a date (since 2026-11-01, since 2026-11-01T08:00 in UTC, or with an offset: 2026-11-01T08:00+02:00).`
    : '“since” needs a period: since 7d, since 24h or since 2026-11-01.',
});

/** `since <period>` taken out of the words (the last one wins), or the message for a period that means nothing */
function takeSince(rest: string[]): { since?: Since; words: string[] } | { invalid: OigQuery } {
  const s = rest.map((w) => w.toLowerCase()).lastIndexOf('since');
  if (s < 0) return { words: rest };
  const value = rest[s + 1];
  const since = value === undefined ? undefined : parseSince(value);
  if (!since) return { invalid: badSince(value) };
  return { since, words: [...rest.slice(0, s), ...rest.slice(s + 2)] };
}

function parseRevokes(rest: string[]): OigQuery {
  const taken = takeSince(rest);
  if ('invalid' in taken) return taken.invalid;
  let nameWords = taken.words;
  // "revokes campaign Q2 review" and, forgivingly, "revokes Q2 review"
  if (nameWords[0]?.toLowerCase() === 'campaign') nameWords = nameWords.slice(1);
  const campaign = nameWords.join(' ');
  return { kind: 'revokes', ...(campaign ? { campaign } : {}), ...(taken.since ? { since: taken.since } : {}) };
}

/** `asa [user or server] [since <period>]` */
function parseAsa(rest: string[]): OigQuery {
  const taken = takeSince(rest);
  if ('invalid' in taken) return taken.invalid;
  const target = taken.words.join(' ');
  return { kind: 'asa', ...(target ? { target } : {}), ...(taken.since ? { since: taken.since } : {}) };
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
      return name ? { kind, name } : { kind: 'invalid', message: `“${kind}” needs a name: /oig ${kind} <${kind === 'user' ? 'name, login or id' : 'name or id'}>.` };
    case 'requests': {
      const word = name.toLowerCase();
      if (word === '' || word === 'all') return { kind, open: false };
      if (word === 'open' || word === 'pending') return { kind, open: true };
      return { kind: 'help', unknown: `${first} ${rest[0] ?? ''}`.trim() };
    }
    case 'asa':
      return parseAsa(rest);
    default:
      return { kind: 'help' };
  }
}

export function parseCommand(text: string | undefined): ParsedCommand {
  const all = words(text ?? '');
  if (all[0]?.toLowerCase() !== 'export') return { query: parseQuery(all), export: false };
  const query = parseQuery(all.slice(1));
  if (query.kind === 'help' && !query.unknown) {
    return { query: { kind: 'invalid', message: '“export” needs a command to export, e.g. /oig export revokes since 30d.' }, export: false };
  }
  // an export of help or of a mistake is just the help or the mistake
  return { query, export: query.kind !== 'help' && query.kind !== 'invalid' };
}
