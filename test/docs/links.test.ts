/**
 * The README and docs/*.md link to each other by relative path and by heading anchor. A page split, a
 * renamed heading or a moved file breaks such a link silently (GitHub shows a 404 or lands at the top of the
 * page), so every relative link must name a file that exists and, with a `#fragment`, a heading of that
 * file as GitHub slugs it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The lines outside fenced code blocks: a `#` or `](` inside a code sample is neither heading nor link. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's anchor for a heading: its text without markup, lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page has; a repeated heading gets -1, -2 … as on GitHub. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The relative link targets of a page (http(s) and mailto links are not checked here). */
function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const prose = line.replace(/`[^`]*`/g, '``');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(m[1]!);
  }
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** What is wrong with each relative link of `markdown`, read as the file `page` (relative to `base`). */
function brokenLinks(page: string, markdown: string, base: string = root): string[] {
  const problems: string[] = [];
  for (const target of relativeLinks(markdown)) {
    const [file, fragment] = target.split('#', 2) as [string, string | undefined];
    const resolved = file === '' ? path.join(base, page) : path.resolve(path.dirname(path.join(base, page)), decodeURIComponent(file));
    if (file !== '' && !existsSync(resolved)) {
      problems.push(`${page}: ${target}: no file ${path.relative(base, resolved)}`);
      continue;
    }
    if (fragment === undefined) continue;
    if (!resolved.endsWith('.md') || (file !== '' && statSync(resolved).isDirectory())) {
      problems.push(`${page}: ${target}: an anchor into a file that is not Markdown`);
      continue;
    }
    const text = file === '' ? markdown : readFileSync(resolved, 'utf8');
    if (!anchors(text).has(decodeURIComponent(fragment))) problems.push(`${page}: ${target}: no heading with that anchor`);
  }
  return problems;
}

describe('links in README.md and docs/*.md', () => {
  it('slugs headings as GitHub does (anchors the README used before the split)', () => {
    expect(slug('PostgreSQL (`DATABASE_URL`) and replicas')).toBe('postgresql-database_url-and-replicas');
    expect(slug('Okta API access: an API token or an OAuth 2.0 service app')).toBe('okta-api-access-an-api-token-or-an-oauth-20-service-app');
    expect(slug('Who may press: `OIG_ALLOWED_USERS`')).toBe('who-may-press-oig_allowed_users');
    expect(slug('7. Ask it')).toBe('7-ask-it');
    expect(slug('The card gallery: `npm run gallery`')).toBe('the-card-gallery-npm-run-gallery');
  });

  it('finds a missing file, a missing anchor and an anchor in the same page', () => {
    const page = 'docs/x.md';
    const text = '# Title\n\n## Two words\n\n[ok](#two-words) [gone](#three-words) [nofile](nothing-here.md)\n' +
      '[readme](../README.md) [bad anchor](../README.md#no-such-heading)\n```\n[in code](missing.md)\n```\n';
    expect(brokenLinks(page, text)).toEqual([
      'docs/x.md: #three-words: no heading with that anchor',
      'docs/x.md: nothing-here.md: no file docs/nothing-here.md',
      'docs/x.md: ../README.md#no-such-heading: no heading with that anchor',
    ]);
  });

  it.each(pages)('%s: every relative link names an existing file and heading', (page) => {
    expect(brokenLinks(page, readFileSync(path.join(root, page), 'utf8'))).toEqual([]);
  });
});
