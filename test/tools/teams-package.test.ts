/**
 * `npm run teams-package` (issue 14 §5): the real command writes a zip whose manifest carries TEAMS_APP_ID
 * and package.json's version and whose icons have the sizes Teams needs; a missing or malformed id is a
 * usage error. The schema check is proved on broken copies of the package folder: each breaks one rule of
 * the v1.30 schema (or of the icons), and each is refused with the rule it broke.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPackage, PackageError } from '../../src/tools/teams-package/build-package.ts';
import { manifestProblems } from '../../src/tools/teams-package/manifest-schema.ts';
import { pngSize } from '../../src/tools/teams-package/png-size.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const source = path.join(root, 'adapters/teams/app-package');
const APP_ID = '8f0c2a52-1d3e-4b6a-9c1f-2e4d5a6b7c8d';
const work = await mkdtemp(path.join(tmpdir(), 'oig-teams-package-'));
afterAll(() => rm(work, { recursive: true, force: true }));

function run(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/tools/teams-package.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

type Json = Record<string, unknown>;

/** a copy of the package folder with its manifest changed by `change` */
async function brokenCopy(change: (m: Json) => void, files: Record<string, Buffer> = {}): Promise<URL> {
  const dir = await mkdtemp(path.join(work, 'copy-'));
  await cp(source, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Json;
  change(manifest);
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
  return pathToFileURL(`${dir}/`);
}

async function refusal(sourceDir: URL): Promise<PackageError> {
  const err = await buildPackage({ sourceDir, appId: APP_ID, version: '1.2.3' }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PackageError);
  return err as PackageError;
}

describe('npm run teams-package', () => {
  it('writes the zip: ids from TEAMS_APP_ID, the version of package.json, both icons at their sizes, a manifest valid for v1.30', async () => {
    const out = path.join(work, 'teams.zip');
    const r = await run({ TEAMS_APP_ID: APP_ID.toUpperCase() }, ['--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${out}: Teams app ${APP_ID} version`);
    const entries = unzipSync(await readFile(out));
    expect(Object.keys(entries).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(Buffer.from(entries['manifest.json']!).toString('utf8')) as Json & { bots: Array<{ botId: string }> };
    const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots.map((b) => b.botId)).toEqual([APP_ID]);
    expect(manifest.version).toBe(version);
    expect(manifest.manifestVersion).toBe('1.30');
    expect(await manifestProblems(manifest)).toEqual([]);
    expect(pngSize(Buffer.from(entries['color.png']!))).toEqual({ width: 192, height: 192 });
    expect(pngSize(Buffer.from(entries['outline.png']!))).toEqual({ width: 32, height: 32 });
    // the icons are the package's own, byte for byte
    expect(Buffer.from(entries['outline.png']!).equals(await readFile(path.join(source, 'outline.png')))).toBe(true);
  }, 60_000);

  it('exits 2 with one line when TEAMS_APP_ID is missing or not a GUID, writing nothing', async () => {
    const out = path.join(work, 'never.zip');
    const missing = await run({}, ['--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('teams-package: TEAMS_APP_ID is not set: set it to the Microsoft App ID of your Azure Bot (a GUID), in the environment or .env\n');
    for (const id of ['not-a-guid', `${APP_ID}0`, '{8f0c2a52-1d3e-4b6a-9c1f-2e4d5a6b7c8d}']) {
      const bad = await run({ TEAMS_APP_ID: id }, ['--out', out]);
      expect(bad.code, id).toBe(2);
      expect(bad.stderr, id).toContain('TEAMS_APP_ID must be the Microsoft App ID of your Azure Bot, a GUID');
    }
    await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
    const usage = await run({ TEAMS_APP_ID: APP_ID }, ['--frob']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run teams-package');
  }, 60_000);
});

describe('the package check', () => {
  it('refuses a manifest that breaks the schema of its version, naming the rule', async () => {
    const cases: Array<[string, (m: Json) => void, RegExp]> = [
      ['short name too long', (m) => ((m.name as Json).short = 'O'.repeat(31)), /\/name\/short must NOT have more than 30 characters/],
      ['no developer', (m) => delete m.developer, /the manifest must have required property 'developer'/],
      ['an unknown field', (m) => (m.colour = 'blue'), /the manifest must NOT have additional properties \(colour\)/],
      ['a bad accent colour', (m) => (m.accentColor = 'blue'), /\/accentColor must match pattern/],
      // v1.30 allows 12 commands per list (v1.17 allowed 10)
      ['too many commands', (m) => {
        const list = ((m.bots as Json[])[0]!.commandLists as Json[])[0]!;
        list.commands = Array.from({ length: 13 }, (_, i) => ({ title: `oig c${i}`, description: 'x' }));
      }, /\/bots\/0\/commandLists\/0\/commands must NOT have more than 12 items/],
      ['a version it does not know', (m) => {
        m.manifestVersion = '1.99';
        m.$schema = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.99/MicrosoftTeams.schema.json';
      }, /manifestVersion 1\.99 is not a Teams manifest schema version/],
      ['a $schema of another version', (m) => (m.$schema = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json'), /\$schema must be .*v1\.30.*the schema of manifestVersion 1\.30/],
    ];
    for (const [what, change, why] of cases) {
      const err = await refusal(await brokenCopy(change));
      expect(err.exitCode, what).toBe(1);
      expect(err.message, what).toMatch(why);
    }
  }, 60_000);

  it('refuses icons of the wrong size or that are not PNG, by their real bytes', async () => {
    const color = await readFile(path.join(source, 'color.png'));
    const outline = await readFile(path.join(source, 'outline.png'));
    const swapped = await refusal(await brokenCopy(() => undefined, { 'color.png': outline, 'outline.png': color }));
    expect(swapped.message).toBe('color.png (the color icon) is 32×32; Teams needs 192×192 pixels');
    const notPng = await refusal(await brokenCopy(() => undefined, { 'outline.png': Buffer.from('GIF89a not a png at all, really') }));
    expect(notPng.message).toBe('outline.png (the outline icon) is not a PNG file');
    const outside = await refusal(await brokenCopy((m) => ((m.icons as Json).color = '../../etc/passwd')));
    expect(outside.message).toBe('icons.color must name a file beside manifest.json');
  });
});
