/**
 * Validates a Teams app manifest against the JSON schema of the version it declares (`manifestVersion`),
 * as Microsoft publishes it. The schemas come from the npm registry, in Microsoft's own
 * `@microsoft/app-manifest` package (the Microsoft 365 Agents Toolkit's manifest library, MIT), which ships
 * every published version (v1.0 … v1.30 and the developer preview) under build/json-schemas/teams/: nothing
 * is fetched at run time. They are JSON Schema draft-04, hence ajv-draft-04 (with ajv-formats for "uri"
 * and the like), the validator the same toolkit uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject } from 'ajv';

const require = createRequire(import.meta.url);

export const SCHEMA_URL = (version: string): string => `https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;

/** the schema file of `version` in the package, or undefined when the package has none */
export function schemaFile(version: string): string | undefined {
  if (!/^(\d+\.\d+|devPreview)$/.test(version)) return undefined;
  const dir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(dir, 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
  return existsSync(file) ? file : undefined;
}

/** "/bots/0/botId must match pattern …": one line per problem, none when valid */
export async function manifestProblems(manifest: Record<string, unknown>): Promise<string[]> {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') return ['manifestVersion is missing: it names the schema version the manifest follows'];
  if (manifest.$schema !== SCHEMA_URL(version)) return [`$schema must be ${SCHEMA_URL(version)}, the schema of manifestVersion ${version}`];
  const file = schemaFile(version);
  if (!file) return [`manifestVersion ${version} is not a Teams manifest schema version that @microsoft/app-manifest knows`];
  // loaded only here: the packager is the one user of these (dev) dependencies
  // CommonJS modules whose module.exports is the class / plugin and whose `.default` is it again: typed as the latter
  const Ajv = (await import('ajv-draft-04')).default.default;
  const addFormats = (await import('ajv-formats')).default.default;
  // not strict: Microsoft's schemas use keywords of their own ("deprecationMessage"), which ajv would refuse
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(errorLine);
}

function errorLine(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the manifest' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
  return `${where} ${e.message ?? 'is not valid'}${extra}`;
}
