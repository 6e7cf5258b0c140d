/**
 * `Link` header parsing (RFC 8288). Both APIs we poll page with it: Okta's System Log sends
 * `link: <…>; rel="self"` and `link: <…>; rel="next"` (SPEC §3), ASA's auditsV2 a `rel="next"` link
 * whose absence marks the last page (SPEC §6). undici has no parser, hence this one.
 *
 * Written for what servers actually send: several header lines or one comma-separated line, URLs that
 * contain commas or semicolons inside `<…>`, quoted or bare `rel` values, and several relations in one
 * `rel` ("next last").
 */

/** relation (lower case) → URL as written in the header (maybe relative) */
export type LinkMap = Map<string, string>;

export function parseLinkHeader(value: string | readonly string[] | undefined): LinkMap {
  const links: LinkMap = new Map();
  if (value === undefined) return links;
  for (const line of typeof value === 'string' ? [value] : value) parseLine(line, links);
  return links;
}

function parseLine(line: string, links: LinkMap): void {
  let i = 0;
  while (i < line.length) {
    const open = line.indexOf('<', i);
    if (open < 0) return;
    const close = line.indexOf('>', open + 1);
    if (close < 0) return;
    const url = line.slice(open + 1, close).trim();
    const { params, end } = readParams(line, close + 1);
    const rel = params.get('rel');
    if (rel !== undefined) {
      for (const r of rel.toLowerCase().split(/\s+/)) if (r && !links.has(r)) links.set(r, url);
    }
    i = end;
  }
}

/** reads `; name="value"; name=value` up to the comma that ends this link (or the end of the line) */
function readParams(line: string, from: number): { params: Map<string, string>; end: number } {
  const params = new Map<string, string>();
  let i = from;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ',') return { params, end: i + 1 };
    if (c !== ';') {
      i++;
      continue;
    }
    const m = /^;\s*([^\s=;,]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s]*)))?/.exec(line.slice(i));
    if (!m) {
      i++;
      continue;
    }
    const name = m[1]!.toLowerCase();
    const v = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    if (!params.has(name)) params.set(name, v);
    i += m[0].length;
  }
  return { params, end: i };
}

/** the absolute `rel="next"` URL, resolved against the URL that was requested; undefined = last page */
export function nextLink(value: string | readonly string[] | undefined, requestUrl: string): string | undefined {
  const next = parseLinkHeader(value).get('next');
  if (next === undefined || next === '') return undefined;
  return new URL(next, requestUrl).toString();
}
