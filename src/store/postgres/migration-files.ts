/**
 * The schema migrations shipped with this code: plain SQL files named NNN-what-it-does.sql in the
 * migrations folder next to this module, in number order. The checksum is what makes an edited, already
 * applied file detectable; line endings are normalised first so a Windows checkout (git autocrlf) of the
 * same file is not taken for an edit.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors.ts';

export interface MigrationFile {
  version: number;
  /** the part after the number: "schema-note" */
  name: string;
  /** the file name: "001-schema-note.sql" */
  file: string;
  sql: string;
  /** sha256 of the file (LF line endings), hex */
  checksum: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_NAME = /^(\d{3})-([a-z0-9][a-z0-9-]*)\.sql$/;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const file of names) {
    const m = FILE_NAME.exec(file);
    // a misnamed file would silently never run: a packaging mistake to catch before any database is touched
    if (!m) throw new AppError('MIGRATION_FILE', `${path.join(dir, file)} is not named NNN-what-it-does.sql (three digits, lower-case words)`);
    const version = Number(m[1]);
    const twin = files.find((f) => f.version === version);
    if (twin) throw new AppError('MIGRATION_FILE', `${twin.file} and ${file} in ${dir} share the number ${m[1]}`);
    const sql = (await readFile(path.join(dir, file), 'utf8')).replace(/\r\n/g, '\n');
    files.push({ version, name: m[2]!, file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files.sort((a, b) => a.version - b.version);
}
