import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { environmentWithDotEnv } from '../config/dot-env.ts';
import { buildPackage, PackageError } from './teams-package/build-package.ts';

/**
 * `npm run teams-package` (issue 14 §5, SPEC §9): the Teams app zip to upload (docs/teams.md "Upload the app
 * package"), built from adapters/teams/app-package with TEAMS_APP_ID and package.json's version filled in
 * and checked against the manifest schema it declares (teams-package/build-package.ts).
 */
const USAGE = `usage: npm run teams-package [-- --out FILE]

Builds the Teams app package from adapters/teams/app-package: manifest.json with id and bots[0].botId set to
TEAMS_APP_ID (environment or .env) and version set to package.json's, validated against the Teams manifest
schema version it declares, zipped with color.png (192×192) and outline.png (32×32).

  --out FILE   where to write the zip (default dist/oig-chatops-teams.zip)

exit codes: 0 written, 1 the package's files are not valid (or the zip cannot be written), 2 usage or TEAMS_APP_ID missing or not a GUID`;

const root = new URL('../../', import.meta.url);
const SOURCE = new URL('adapters/teams/app-package/', root);

async function teamsPackage(argv: string[]): Promise<number> {
  let out: string;
  try {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.out !== undefined && values.out.trim() === '') throw new Error('--out needs a file name');
    // npm runs scripts in the package's folder: a relative --out means the folder the user typed it in
    out = values.out !== undefined ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out) : fileURLToPath(new URL('dist/oig-chatops-teams.zip', root));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const { version } = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { version: string };
  const built = await buildPackage({ sourceDir: SOURCE, appId: environmentWithDotEnv().TEAMS_APP_ID, version });
  try {
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, built.zip);
  } catch (err) {
    throw new PackageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1);
  }
  console.log(
    `${out}: Teams app ${String(built.manifest.id)} version ${version}, manifest v${String(built.manifest.manifestVersion)} (valid), ${built.zip.length} bytes.\n` +
      'Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app.',
  );
  return 0;
}

teamsPackage(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`teams-package: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof PackageError ? err.exitCode : 1);
  },
);
