/**
 * The Teams app package (issue 14 §5): adapters/teams/app-package's manifest with the app's ids and
 * version filled in, validated against the schema of the version it declares, zipped with its two icons
 * at the top level of the zip (where Teams looks for them).
 *
 * Ids: `id` (the Teams app) and `bots[0].botId` (the Azure Bot's Microsoft App ID) are both TEAMS_APP_ID,
 * as for any app that is one bot; `webApplicationInfo.id`, should the manifest gain one (SSO), is the
 * same registration. The version is package.json's, so a new release uploads as an update.
 *
 * The zip is written with fflate (no dependencies, types included, used by millions of packages): a zip
 * writer over node:zlib would be another 100 lines of CRC and headers to get right. Every entry gets the
 * same fixed time, so the same inputs make the same bytes.
 */
import { readFile } from 'node:fs/promises';
import { zipSync } from 'fflate';
import { manifestProblems } from './manifest-schema.ts';
import { pngSize } from './png-size.ts';

/** a Microsoft App ID / Entra application (client) id */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ICON_SIZES = { color: 192, outline: 32 } as const;
/** 2026-01-01 00:00 UTC (a fixed time keeps the zip byte-identical; DOS time cannot say 1970) */
const ENTRY_TIME = new Date(Date.UTC(2026, 0, 1));

/** a package that cannot be built as asked; the message is the line the user reads */
export class PackageError extends Error {
  constructor(
    message: string,
    /** 2: what the user gave is wrong (TEAMS_APP_ID); 1: the package's own files are */
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'PackageError';
  }
}

export interface PackageInput {
  /** folder with manifest.json and the icons it names */
  sourceDir: URL;
  appId: string | undefined;
  version: string;
}

export interface BuiltPackage {
  zip: Uint8Array;
  manifest: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** the manifest with the ids and version of this install */
export function fillManifest(template: Json, appId: string, version: string): Json {
  const manifest: Json = { ...template, id: appId, version };
  if (Array.isArray(template.bots)) manifest.bots = (template.bots as Json[]).map((b) => ({ ...b, botId: appId }));
  if (template.webApplicationInfo && typeof template.webApplicationInfo === 'object') manifest.webApplicationInfo = { ...(template.webApplicationInfo as Json), id: appId };
  return manifest;
}

export async function buildPackage(input: PackageInput): Promise<BuiltPackage> {
  const appId = input.appId?.trim();
  if (!appId) throw new PackageError('TEAMS_APP_ID is not set: set it to the Microsoft App ID of your Azure Bot (a GUID), in the environment or .env', 2);
  if (!GUID.test(appId)) throw new PackageError(`TEAMS_APP_ID must be the Microsoft App ID of your Azure Bot, a GUID such as 8f0c2a52-1d3e-4b6a-9c1f-2e4d5a6b7c8d (got "${appId.slice(0, 60)}")`, 2);
  const read = (name: string) =>
    readFile(new URL(name, input.sourceDir)).catch((err: NodeJS.ErrnoException) => {
      throw new PackageError(`cannot read ${new URL(name, input.sourceDir).pathname}: ${err.code ?? err.message}`, 1);
    });
  let template: Json;
  try {
    template = JSON.parse((await read('manifest.json')).toString('utf8')) as Json;
  } catch (err) {
    if (err instanceof PackageError) throw err;
    throw new PackageError(`manifest.json is not JSON: ${(err as Error).message}`, 1);
  }
  const manifest = fillManifest(template, appId.toLowerCase(), input.version);
  const problems = await manifestProblems(manifest);
  if (problems.length > 0) throw new PackageError(`manifest.json does not follow the Teams manifest schema v${String(manifest.manifestVersion)}:\n  ${problems.join('\n  ')}`, 1);
  const icons = (manifest.icons ?? {}) as { color?: string; outline?: string };
  const files: Record<string, Uint8Array> = { 'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) };
  for (const kind of ['color', 'outline'] as const) {
    const name = icons[kind];
    if (!name || name.includes('/') || name.includes('\\')) throw new PackageError(`icons.${kind} must name a file beside manifest.json`, 1);
    const bytes = await read(name);
    const size = pngSize(bytes);
    const want = ICON_SIZES[kind];
    if (typeof size === 'string') throw new PackageError(`${name} (the ${kind} icon) ${size}`, 1);
    if (size.width !== want || size.height !== want) throw new PackageError(`${name} (the ${kind} icon) is ${size.width}×${size.height}; Teams needs ${want}×${want} pixels`, 1);
    files[name] = bytes;
  }
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { mtime: ENTRY_TIME }]])), { level: 9 });
  return { zip, manifest };
}
