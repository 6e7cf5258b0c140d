/**
 * Who polls with this DATA_DIR right now: the bot (its pollers) or an `npm run asa` command.
 *
 * The event store is a single-process store (SPEC §7: in-memory indexes over lowdb files): a CLI poll that
 * stored events while the bot runs would write files the bot later overwrites, and the checkpoint would
 * already be past those events. So the CLI refuses while a live bot holds the folder. The lock is a small
 * file with the holder's pid; a lock whose process is gone is stale and taken over.
 */
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export type LockHolder = 'bot' | 'cli';
export interface LockInfo {
  pid: number;
  holder: LockHolder;
  since: string;
}

export class DataDirLock {
  readonly file: string;
  private held = false;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'state', 'pollers.lock');
  }

  /** the live holder other than this process, if any */
  async holder(): Promise<LockInfo | undefined> {
    let info: LockInfo;
    try {
      info = JSON.parse(await readFile(this.file, 'utf8')) as LockInfo;
    } catch {
      return undefined;
    }
    if (typeof info.pid !== 'number' || info.pid === process.pid || !isAlive(info.pid)) return undefined;
    return info;
  }

  /**
   * Takes the lock. `exclusive` (the CLI): fails with the holder when a live process has it. The bot
   * takes it regardless (it must start) and gets the previous live holder back to warn about.
   */
  async acquire(holder: LockHolder, exclusive: boolean): Promise<{ ok: boolean; other?: LockInfo }> {
    const other = await this.holder();
    if (other && exclusive) return { ok: false, other };
    await mkdir(path.dirname(this.file), { recursive: true });
    const info: LockInfo = { pid: process.pid, holder, since: new Date().toISOString() };
    await writeFile(this.file, JSON.stringify(info) + '\n', { mode: 0o600 });
    this.held = true;
    return other ? { ok: true, other } : { ok: true };
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    // only remove it if it is still ours (a bot may have taken it over meanwhile)
    try {
      const info = JSON.parse(await readFile(this.file, 'utf8')) as LockInfo;
      if (info.pid === process.pid) await rm(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
