import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that is durable, not only atomic. lowdb's own JSONFile writes a temp file and renames
 * it (atomic against a crash of the process) but never fsyncs, so a power cut can lose a write that was
 * already acknowledged to Okta. We ack a delivery only after its events are on disk (SPEC §3), so this
 * adapter fsyncs the temp file before the rename and the folder after it.
 *
 * Writes to one file must not overlap; the store serializes them (one group commit at a time).
 */
/** how the document is written and read back, when the file's form differs from the data's (segments) */
export interface JsonCodec<T> {
  encode(data: T): unknown;
  decode(parsed: unknown): T;
}

export class DurableJsonFile<T> implements Adapter<T> {
  /** @param onWrite told the size of every write, for the store's bytes-written figure (SPEC §8) */
  constructor(
    readonly filename: string,
    private readonly onWrite: (bytes: number) => void = () => {},
    private readonly codec?: JsonCodec<T>,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.filename, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const parsed: unknown = JSON.parse(text);
    return this.codec ? this.codec.decode(parsed) : (parsed as T);
  }

  async write(data: T): Promise<void> {
    this.onWrite(await writeDurably(this.filename, JSON.stringify(this.codec ? this.codec.encode(data) : data)));
  }
}

/** writes text (or bytes) to a temp file, fsyncs, renames over filename, fsyncs the folder; returns the bytes written */
export async function writeDurably(filename: string, text: string | Uint8Array): Promise<number> {
  const tmp = path.join(path.dirname(filename), `.${path.basename(filename)}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text, typeof text === 'string' ? 'utf8' : undefined);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, filename);
  await syncDir(path.dirname(filename));
  return Buffer.byteLength(text);
}

/** fsync a folder so a rename or a new file in it survives a power cut */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
