/**
 * The Teams app package (adapters/teams/app-package): what Teams' validator would refuse, checked before
 * anyone zips and uploads it (npm run teams-package validates the whole schema). Limits from the app manifest schema v1.30: at most 10 commands per list,
 * title ≤ 32 and description ≤ 128 characters, short description ≤ 80, full ≤ 4000, a 192×192 color icon
 * and a 32×32 outline icon that is white on a transparent background.
 */
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OIG_COMMANDS } from '../../src/commands/help.ts';
import { parseCommand } from '../../src/commands/parse.ts';

const dir = new URL('../../adapters/teams/app-package/', import.meta.url);
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: Array<{
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
  permissions: string[];
  validDomains: string[];
}

const manifest = JSON.parse(await readFile(new URL('manifest.json', dir), 'utf8')) as Manifest;
const bot = manifest.bots[0]!;

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** RGBA rows, unfiltered (8-bit RGBA only) */
  rgba?: Buffer;
}

/** reads the IHDR and, for 8-bit RGBA, the pixels (all five PNG row filters undone) */
function readPng(buf: Buffer): Png {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString('ascii', 12, 16)).toBe('IHDR');
  const png: Png = { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24]!, colorType: buf[25]! };
  if (png.bitDepth !== 8 || png.colorType !== 6 || buf[28] !== 0) return png;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    if (buf.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = png.width * 4;
  const out = Buffer.alloc(stride * png.height);
  for (let y = 0; y < png.height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? out[y * stride + x - 4]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter] ?? 0;
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  png.rgba = out;
  return png;
}

describe('Teams app package', () => {
  it('is a v1.30 manifest whose app id and bot id are the same placeholder', () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/en-us/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.30');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toBe(PLACEHOLDER);
    expect(bot.botId).toBe(manifest.id);
    expect(manifest.bots).toHaveLength(1);
  });

  it('names, describes and links within the limits', () => {
    expect(manifest.name).toEqual({ short: 'OIG', full: 'Okta Identity Governance' });
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    for (const url of [manifest.developer.websiteUrl, manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl]) {
      expect(url).toMatch(/^https:\/\/github\.com\/oig-chatops\/oig-chatops/);
    }
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(manifest.permissions).toEqual(['identity', 'messageTeamMembers']);
    expect(manifest.validDomains).toEqual([]);
  });

  it('is a conversational bot in teams and personal chats, without files', () => {
    expect(bot.scopes).toEqual(expect.arrayContaining(['team', 'personal']));
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.supportsFiles).toBe(false);
  });

  it('lists at most 10 commands per list, each a real oig command within the length limits', () => {
    // the canonical command words of the /oig help, and what the parser understands
    const helpWords = new Set(OIG_COMMANDS.map(([usage]) => usage.split(' ')[1]));
    for (const list of bot.commandLists) {
      expect(list.scopes.every((s) => bot.scopes.includes(s))).toBe(true);
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const { title, description } of list.commands) {
        expect(title.length, title).toBeLessThanOrEqual(32);
        expect(description.length, title).toBeLessThanOrEqual(128);
        expect(description.length, title).toBeGreaterThan(0);
        const [prefix, word, ...rest] = title.split(' ');
        expect(prefix, title).toBe('oig');
        expect(rest, title).toEqual([]);
        if (word === 'subscribe' || word === 'unsubscribe') continue;
        expect(helpWords.has(word), `${title} is in the /oig help`).toBe(true);
        const { query } = parseCommand(word);
        expect(query.kind === 'help' && query.unknown !== undefined, `${title} is known to parseCommand`).toBe(false);
      }
      const titles = list.commands.map((c) => c.title);
      expect(new Set(titles).size).toBe(titles.length);
      expect(titles).toContain('oig subscribe');
    }
  });

  it('has a 192×192 color icon', async () => {
    expect(manifest.icons.color).toBe('color.png');
    const png = readPng(await readFile(new URL(manifest.icons.color, dir)));
    expect([png.width, png.height]).toEqual([192, 192]);
  });

  it('has a 32×32 outline icon, white on transparent', async () => {
    expect(manifest.icons.outline).toBe('outline.png');
    const png = readPng(await readFile(new URL(manifest.icons.outline, dir)));
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.rgba, 'outline.png must be 8-bit RGBA').toBeDefined();
    const rgba = png.rgba!;
    let white = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      if (rgba[i + 3] === 0) continue;
      const [r, g, b] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!];
      // white at any opacity (anti-aliased edges are fine), never a colour
      expect([r, g, b], `pixel ${i / 4} is neither transparent nor white`).toEqual([255, 255, 255]);
      white += 1;
    }
    // something is drawn, and the background is transparent
    expect(white).toBeGreaterThan(20);
    expect(white).toBeLessThan(32 * 32 / 2);
  });
});
