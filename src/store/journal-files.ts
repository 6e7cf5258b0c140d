/**
 * The files of a journal (journal.ts) and the system calls on them: where a piece of bot state keeps its
 * journal, generation numbers and file names, replay of a log, reading a snapshot, and the append-only
 * O_DSYNC file handle. Kept apart so journal.ts reads as the algorithm (append, compact, recover).
 */
import { constants, close, fdatasync, ftruncate, open as openFd, write as writeFd } from 'node:fs';
import { readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

/** what the journal needs of its log file; tests wrap it to make writes fail */
export interface LogHandle {
  /** appends at the end of the file; resolves once the bytes are on disk (O_DSYNC) */
  append(data: Buffer): Promise<number>;
  truncate(length: number): Promise<void>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/** DATA_DIR/state/<name>/ for a piece of bot state kept in a journal, DATA_DIR/state/<name>.json for the file it replaces */
export function stateJournalPaths(dataDir: string, name: string): { dir: string; legacy: string } {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`state name must be lower-case letters, digits and dashes: ${name}`);
  return { dir: path.join(dataDir, 'state', name), legacy: path.join(dataDir, 'state', `${name}.json`) };
}

export const SNAPSHOT = /^(\d{8})\.snapshot\.json$/;
export const LOG = /^(\d{8})\.log\.jsonl$/;

export interface Replay {
  /** bytes up to and including the last newline */
  whole: number;
  /** bytes after it (a torn append) */
  torn: number;
  /** 1-based numbers of whole lines that could not be read */
  bad: number[];
}

export async function replayLog<Op>(file: string, apply: (op: Op) => void): Promise<Replay> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { whole: 0, torn: 0, bad: [] };
    throw e;
  }
  const bad: number[] = [];
  let start = 0;
  let line = 0;
  for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
    line += 1;
    let op: Op;
    try {
      op = JSON.parse(buf.toString('utf8', start, nl)) as Op;
    } catch {
      bad.push(line);
      start = nl + 1;
      continue;
    }
    apply(op);
    start = nl + 1;
  }
  return { whole: start, torn: buf.length - start, bad };
}

/** a snapshot was renamed in whole, so an unreadable one means the disk lost data: refuse to guess */
export async function readSnapshot(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return (JSON.parse(text) as { state: unknown }).state;
  } catch (err) {
    throw new Error(`the journal snapshot ${file} cannot be read (${(err as Error).message}); moving its folder aside starts this state empty`);
  }
}

export function gens(files: readonly string[], pattern: RegExp): number[] {
  return files
    .map((f) => pattern.exec(f)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export async function removeEmptyLogs(dir: string, logs: readonly number[], log: Logger): Promise<void> {
  for (const g of logs) {
    const file = logFile(dir, g);
    if ((await stat(file)).size > 0) {
      // never written by this code: a log is appended to only once its snapshot exists
      log.error({ file }, 'a journal log without its snapshot: kept aside as *.corrupt');
      await rename(file, `${file}.corrupt`);
    } else {
      await unlink(file);
    }
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

export const snapshotFile = (dir: string, gen: number) => path.join(dir, `${String(gen).padStart(8, '0')}.snapshot.json`);
export const logFile = (dir: string, gen: number) => path.join(dir, `${String(gen).padStart(8, '0')}.log.jsonl`);

const openAsync = promisify(openFd);
const writeAsync = promisify(writeFd);
const truncateAsync = promisify(ftruncate);
const datasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

/**
 * O_APPEND | O_DSYNC: each write returns once its data is on disk, one system call per change (see
 * write-ahead-log.ts). A plain fd, not a FileHandle: a journal lives as long as its owner, and a FileHandle
 * left to the garbage collector is closed with a warning.
 */
export async function openAppendOnly(file: string): Promise<LogHandle> {
  const fd = await openAsync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC, 0o600);
  return {
    append: async (data) => (await writeAsync(fd, data)).bytesWritten,
    truncate: (length) => truncateAsync(fd, length),
    datasync: () => datasyncAsync(fd),
    close: () => closeAsync(fd),
  };
}
