import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { OIG_COMMANDS } from '../../adapters/slack/commands/oig-command.ts';

const manifest = await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8');
/** the manifest without its comments, so commented-out lines do not count */
const live = manifest.split('\n').map((l) => l.replace(/(^|\s)#.*$/, '')).join('\n');

describe('manifest.yml', () => {
  it('declares the /oig command, interactivity and both request URLs on /slack/events', () => {
    expect(live).toMatch(/- command: \/oig\n\s+url: https:\/\/YOUR-HOST\/slack\/events/);
    expect(live).toMatch(/interactivity:\n\s+is_enabled: true\n\s+request_url: https:\/\/YOUR-HOST\/slack\/events/);
    expect(live).toMatch(/usage_hint: "help \| revokes/);
    expect(live).toMatch(/socket_mode_enabled: false/);
  });

  it('asks for exactly the bot scopes the code uses', () => {
    const scopes = [...live.matchAll(/^\s+- ([a-z:.]+)\s*$/gm)].map((m) => m[1]);
    expect(scopes).toEqual(['chat:write', 'commands', 'files:write', 'users:read', 'users:read.email']);
  });

  it('has a bot user, and its usage hint names only real commands', () => {
    expect(live).toMatch(/bot_user:\n\s+display_name: oig/);
    const hint = /usage_hint: "([^"]+)"/.exec(live)![1]!;
    const words = new Set(OIG_COMMANDS.map(([usage]) => usage.split(' ')[1]));
    for (const part of hint.split('|')) expect(words.has(part.trim().split(' ')[0]!)).toBe(true);
  });
});
