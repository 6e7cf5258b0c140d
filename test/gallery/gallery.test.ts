/**
 * The card gallery in a real headless Chromium: every card kind the code knows has a sample, every sample
 * draws in both renderings (Slack's Block Kit as HTML, Teams through Microsoft's adaptivecards), a broken
 * card fails the check, and `npm run gallery`'s work writes the files. Skipped, saying what to install,
 * only where no Chromium is installed; .ci/run installs it so CI always runs this.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCard as renderSlack } from '../../adapters/slack/render/render-card.ts';
import { renderCard as renderTeams } from '../../adapters/teams/render/render-card.ts';
import { builderUrl } from '../../src/tools/gallery/block-kit-html.ts';
import { CardRenderer } from '../../src/tools/gallery/card-renderer.ts';
import { CHROMIUM_MISSING, chromiumPath } from '../../src/tools/gallery/chromium.ts';
import { runDemo } from '../../src/tools/gallery/demo-cards.ts';
import { CARD_KINDS, galleryEntries, missingKinds, type GalleryEntry } from '../../src/tools/gallery/gallery-cards.ts';
import { drawEntries, writeGallery } from '../../src/tools/gallery/write-gallery.ts';

const chromium = chromiumPath();
if (!chromium) console.warn(`test/gallery skipped: ${CHROMIUM_MISSING}`);

describe.skipIf(!chromium)('card gallery in Chromium', () => {
  let renderer: CardRenderer;
  let entries: GalleryEntry[];

  beforeAll(async () => {
    const run = await runDemo();
    try {
      entries = galleryEntries(run);
    } finally {
      await run.close();
    }
    renderer = await CardRenderer.open(chromium!);
  }, 60_000);
  afterAll(async () => {
    await renderer?.close();
  });

  it('has a sample of every card kind the code knows, and the task card open, claimed and done', () => {
    expect(CARD_KINDS.length).toBeGreaterThanOrEqual(11);
    expect(missingKinds(entries)).toEqual([]);
    const task = entries.filter((e) => e.kind === 'manual_remediation').map((e) => e.card.facts.find((f) => f.label === 'Task')?.value);
    expect(task).toHaveLength(3);
    expect(task[0]).toMatch(/^Open/);
    expect(task[1]).toMatch(/^Claimed by Alice Example/);
    expect(task[2]).toMatch(/^Done by Alice Example/);
    // a kind without a sample is caught: drop one and the check names it
    expect(missingKinds(entries.filter((e) => e.kind !== 'still_used'))).toEqual(['still_used']);
  });

  it('draws every card in both renderings with no renderer error and nothing empty', async () => {
    const { drawn, problems } = await drawEntries(renderer, entries);
    expect(problems).toEqual([]);
    expect(drawn.map((d) => d.entry.id)).toEqual(entries.map((e) => e.id));
    for (const d of drawn) {
      // a PNG, at least a few lines high
      expect(d.slack.subarray(1, 4).toString()).toBe('PNG');
      expect(d.teams.readUInt32BE(20)).toBeGreaterThan(60);
      expect(d.slack.readUInt32BE(20)).toBeGreaterThan(60);
    }
  }, 60_000);

  it('fails a Teams card the renderer cannot draw as written, and an empty one', async () => {
    const card = renderTeams(entries[0]!.card);
    expect((await renderer.teams(card)).problems).toEqual([]);
    const unknown = { ...card, body: [...card.body, { type: 'TextBlok', text: 'typo in the type' }] };
    expect((await renderer.teams(unknown)).problems.join('\n')).toMatch(/UnknownElementType/);
    const badAction = { ...card, actions: [{ type: 'Action.Exekute', title: 'Claim', verb: 'oig_manual_claim' }] };
    expect((await renderer.teams(badAction)).problems.join('\n')).toMatch(/UnknownActionType/);
    const empty = { ...card, body: [{ type: 'RichTextBlock', inlines: [] }], actions: [] };
    expect((await renderer.teams(empty)).problems.join('\n')).toMatch(/empty/);
    expect((await renderer.teams({ type: 'Nonsense' })).problems.length).toBeGreaterThan(0);
  });

  it('fails a Slack message with a block the gallery cannot draw, and an empty one', async () => {
    const message = renderSlack(entries[0]!.card);
    expect((await renderer.slack(message)).problems).toEqual([]);
    const unknown = { ...message, blocks: [...message.blocks, { type: 'rich_text', elements: [] }] } as unknown as typeof message;
    expect((await renderer.slack(unknown)).problems.join('\n')).toMatch(/block type "rich_text"/);
    expect((await renderer.slack({ text: 'x', blocks: [] })).problems.join('\n')).toMatch(/without blocks/);
    const blank = { text: 'x', blocks: [{ type: 'section', text: { type: 'plain_text', text: ' ' } }] } as typeof message;
    expect((await renderer.slack(blank)).problems.join('\n')).toMatch(/empty/);
  });

  it('links each Slack message to Block Kit Builder with its blocks', () => {
    const message = renderSlack(entries[0]!.card);
    const url = builderUrl(message);
    expect(url.startsWith('https://app.slack.com/block-kit-builder#')).toBe(true);
    expect(JSON.parse(decodeURIComponent(url.split('#')[1]!))).toEqual({ blocks: message.blocks });
  });

  it('writes the pictures and index.html, and removes pictures of entries that are gone', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'oig-gallery-test-'));
    try {
      await writeFile(path.join(outDir, 'old-kind.slack.png'), 'stale');
      const result = await writeGallery({ outDir, chromium: chromium! });
      expect(result.problems).toEqual([]);
      expect(result.files).toHaveLength(result.entries.length * 2 + 1);
      expect(existsSync(path.join(outDir, 'old-kind.slack.png'))).toBe(false);
      const index = await readFile(path.join(outDir, 'index.html'), 'utf8');
      for (const e of result.entries) {
        expect(existsSync(path.join(outDir, `${e.id}.slack.png`))).toBe(true);
        expect(existsSync(path.join(outDir, `${e.id}.teams.png`))).toBe(true);
        expect(index).toContain(`src="${e.id}.teams.png"`);
      }
      expect(index.match(/block-kit-builder#/g)).toHaveLength(result.entries.length);
      expect(result.bytes).toBeGreaterThan(0);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 90_000);
});
