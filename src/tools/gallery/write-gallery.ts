/**
 * `npm run gallery`'s work: the demo's cards (gallery-cards.ts), each rendered by the bot's real Slack and
 * Teams renderers, drawn in Chromium (card-renderer.ts), written as `<id>.slack.png`, `<id>.teams.png` and
 * index.html. Nothing is written unless every card of every kind drew cleanly in both: a gallery with a
 * hole would hide exactly the regression it exists to show.
 */
import { readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { builderUrl } from './block-kit-html.ts';
import { renderCard as renderSlack } from '../../../adapters/slack/render/render-card.ts';
import { renderCard as renderTeams } from '../../../adapters/teams/render/render-card.ts';
import { CardRenderer } from './card-renderer.ts';
import { runDemo } from './demo-cards.ts';
import { galleryEntries, missingKinds, type GalleryEntry } from './gallery-cards.ts';
import { galleryPage, type PageEntry } from './gallery-page.ts';

export interface GalleryOptions {
  /** where the files go (docs/gallery) */
  outDir: string;
  /** the Chromium binary (chromium.ts) */
  chromium: string;
  /** device pixel ratio of the pictures */
  scale?: number;
  /** progress lines */
  log?: (line: string) => void;
}

export interface GalleryResult {
  entries: GalleryEntry[];
  /** why the gallery was not written; empty when it was */
  problems: string[];
  /** the files written, and their total size in bytes */
  files: string[];
  bytes: number;
}

interface Drawn {
  entry: GalleryEntry;
  slack: Buffer;
  teams: Buffer;
  builderUrl: string;
}

/** renders every entry both ways; the problems name the entry and the product */
export async function drawEntries(renderer: CardRenderer, entries: readonly GalleryEntry[]): Promise<{ drawn: Drawn[]; problems: string[] }> {
  const drawn: Drawn[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const message = renderSlack(entry.card);
    const slack = await renderer.slack(message);
    const teams = await renderer.teams(renderTeams(entry.card));
    problems.push(...slack.problems.map((p) => `${entry.id} in Slack: ${p}`), ...teams.problems.map((p) => `${entry.id} in Teams: ${p}`));
    if (slack.png && teams.png) drawn.push({ entry, slack: slack.png, teams: teams.png, builderUrl: builderUrl(message) });
  }
  return { drawn, problems };
}

export async function writeGallery(o: GalleryOptions): Promise<GalleryResult> {
  const log = o.log ?? (() => {});
  log('gallery: running the demo through the bot');
  const run = await runDemo();
  let entries: GalleryEntry[];
  try {
    entries = galleryEntries(run);
  } finally {
    await run.close();
  }
  const missing = missingKinds(entries);
  if (missing.length > 0) {
    return { entries, files: [], bytes: 0, problems: [`no sample card for kind(s) ${missing.join(', ')}: add one to src/tools/gallery/gallery-cards.ts`] };
  }
  log(`gallery: drawing ${entries.length} cards in Chromium`);
  const renderer = await CardRenderer.open(o.chromium, o.scale ?? 1);
  let result: Awaited<ReturnType<typeof drawEntries>>;
  try {
    result = await drawEntries(renderer, entries);
  } finally {
    await renderer.close();
  }
  if (result.problems.length > 0) return { entries, files: [], bytes: 0, problems: result.problems };
  const files = await writeFiles(o.outDir, result.drawn);
  let bytes = 0;
  for (const f of files) bytes += (await stat(f)).size;
  return { entries, files, bytes, problems: [] };
}

async function writeFiles(outDir: string, drawn: readonly Drawn[]): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const page: PageEntry[] = [];
  const written = new Set<string>();
  for (const d of drawn) {
    const slackPng = `${d.entry.id}.slack.png`;
    const teamsPng = `${d.entry.id}.teams.png`;
    await writeFile(path.join(outDir, slackPng), d.slack);
    await writeFile(path.join(outDir, teamsPng), d.teams);
    written.add(slackPng).add(teamsPng);
    page.push({ id: d.entry.id, name: d.entry.name, kind: d.entry.kind, slackPng, teamsPng, builderUrl: d.builderUrl });
  }
  await writeFile(path.join(outDir, 'index.html'), galleryPage(page));
  written.add('index.html');
  // pictures of entries that no longer exist would be linked from nowhere and go stale
  for (const name of await readdir(outDir)) {
    if (name.endsWith('.png') && !written.has(name)) await rm(path.join(outDir, name));
  }
  return [...written].map((n) => path.join(outDir, n));
}
