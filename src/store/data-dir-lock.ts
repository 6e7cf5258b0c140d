/**
 * One writer per DATA_DIR (issue 11). The store keeps its indexes in memory and rewrites whole files
 * (SPEC §7), so a second process writing the same folder silently loses the first one's acknowledged
 * events. Whoever writes DATA_DIR (the bot, `npm run asa -- poll/reset`) first holds DATA_DIR/bot.lock:
 *
 *   - Created atomically (O_EXCL); a stale one is taken over so that exactly one of several concurrent
 *     starters wins (lock-file.ts says how and why that is safe).
 *   - It names its holder (pid, hostname, pid namespace, boot id, process start, a random token), and the
 *     holder refreshes its mtime every HEARTBEAT_MS (an unref'd timer) through its own open file handle.
 *   - Stale (lock-owner.ts): its pid is gone where the pid can be checked, or — on another host or in
 *     another container, where it cannot — its heartbeat is older than STALE_AFTER_HEARTBEATS periods.
 *     A live one refuses with DataDirBusyError.
 *   - Released on a clean stop, and at process exit, only if the file is still this holder's.
 *
 * Within one process the folder is held once and shared (holdDataDir): main.ts takes it before it writes
 * the hook secret, Bot.start() takes it too (tests and embedders start a Bot directly), and the file goes
 * when the last share is released.
 */
import { fstatSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { mkdir, realpath, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { claimTakeover, createExclusive, foundOf, readLock, removeIfUnchanged, sweepLeftovers, type Found } from './lock-file.ts';
import { judgeLock, ownLockInfo, type LockHolder, type LockInfo } from './lock-owner.ts';

export type { LockHolder, LockInfo } from './lock-owner.ts';

export const LOCK_FILE = 'bot.lock';
export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_HEARTBEATS = 3;
/** claims and set-aside files a crashed takeover left behind are swept after this long */
const LEFTOVER_MS = 3_600_000;

export interface LockOptions {
  /** tests shorten it; readers judge staleness with their own period, so keep it the same everywhere */
  heartbeatMs?: number;
  /** what a command-line holder is called in the refusal others read, e.g. `npm run oig` */
  command?: string;
  /** told why a stale lock was taken over */
  onTakeOver?: (stale: LockInfo | undefined, reason: string) => void;
}

/** DATA_DIR is held by another live process; the message is the one line a user sees */
export class DataDirBusyError extends Error {
  readonly code = 'DATA_DIR_BUSY';
  constructor(
    readonly dataDir: string,
    /** the holder; undefined when its lock file was being written and could not be read yet */
    readonly holder: LockInfo | undefined,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by ${holderText(holder)}; stop it first, or use another DATA_DIR`,
    );
    this.name = 'DataDirBusyError';
  }
}

/** "another oig-chatops process (pid 123 on host h, since …)", or "`npm run oig` (pid …)" for a command */
export function holderText(holder: LockInfo | undefined): string {
  if (!holder) return 'another oig-chatops process (its lock file is being written)';
  // a lock written before holders named their command says only that it is one
  const who = holder.holder === 'bot' ? 'another oig-chatops process' : holder.command ? `\`${holder.command}\`` : 'an oig-chatops command';
  return `${who} (pid ${holder.pid} on host ${holder.hostname}, since ${holder.startedAt})`;
}

/** one acquired lock; see holdDataDir for the shared, per-process handle */
export class DataDirLock {
  private timer: NodeJS.Timeout | undefined;
  /** the heartbeat running now: a release waits for it, so the mtime it compares is the last one */
  private beating: Promise<void> | undefined;
  private lost = false;
  private readonly lostListeners: Array<(why: string) => void> = [];

  private constructor(
    readonly file: string,
    readonly info: LockInfo,
    private handle: FileHandle | undefined,
    private readonly heartbeatMs: number,
    /** the takeover claim of the lock this one replaced: removed with this lock */
    private readonly claim: string | undefined,
  ) {}

  /** takes DATA_DIR/bot.lock, taking over a stale one; throws DataDirBusyError while a live process holds it */
  static async acquire(dataDir: string, holder: LockHolder, o: LockOptions = {}): Promise<DataDirLock> {
    const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
    const staleAfterMs = heartbeatMs * STALE_AFTER_HEARTBEATS;
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, LOCK_FILE);
    const me = ownLockInfo(holder, o.command);
    // the claim of the stale lock this process took over, kept while it holds the lock (lock-file.ts)
    let claim: string | undefined;
    let last: Found | undefined;
    // a round creates the file, refuses, or waits for a takeover in progress (milliseconds)
    const deadline = Date.now() + 3_000;
    for (;;) {
      // only reachable when other processes keep changing the file: someone else is starting right now
      if (Date.now() > deadline) throw new DataDirBusyError(dataDir, last?.info);
      const handle = await createExclusive(file, me);
      if (handle) {
        installExitHook();
        const lock = new DataDirLock(file, me, handle, heartbeatMs, claim);
        lock.startHeartbeat();
        heldInThisProcess.add(lock);
        await sweepLeftovers(dataDir, LOCK_FILE, LEFTOVER_MS);
        return lock;
      }
      const found = await readLock(file);
      if (!found) continue; // removed meanwhile: try to create it again
      last = found;
      const verdict = judgeLock(found.info, found.mtimeMs, me, staleAfterMs);
      if (!verdict.stale) throw new DataDirBusyError(dataDir, found.info);
      const claimed = await claimTakeover(file, found, me, staleAfterMs);
      if (claimed) {
        if (claim && claim !== claimed) await rm(claim, { force: true });
        claim = claimed;
        if (await removeIfUnchanged(file, found)) o.onTakeOver?.(found.info, verdict.reason);
        continue;
      }
      // another process is taking this stale lock over right now: judge again once it is done
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** `why` when the file stopped being this holder's (another process took it over: it judged it stale) */
  onLost(listener: (why: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** removes the lock file if it is still this holder's; stops the heartbeat either way */
  async release(): Promise<void> {
    clearInterval(this.timer);
    heldInThisProcess.delete(this);
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    await this.beating;
    try {
      if (!this.lost) await removeIfUnchanged(this.file, await foundOf(handle, this.info));
      if (this.claim) await rm(this.claim, { force: true });
    } finally {
      await handle.close();
    }
  }

  /** the same at process exit, where only synchronous calls run */
  releaseSync(): void {
    clearInterval(this.timer);
    heldInThisProcess.delete(this);
    const handle = this.handle;
    if (!handle || this.lost) return;
    this.handle = undefined;
    try {
      if (sameFile(statSync(this.file), fstatSync(handle.fd))) unlinkSync(this.file);
      if (this.claim) unlinkSync(this.claim);
    } catch {
      // gone already, or not ours to remove
    }
  }

  private startHeartbeat(): void {
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, this.heartbeatMs).unref();
  }

  /**
   * Refreshes the mtime through the open handle, so it touches this holder's own file whatever the path
   * names now, then checks the path still names that file. A takeover that moved it aside by mistake puts
   * it back within milliseconds (removeIfUnchanged), so a mismatch counts only if it is still there a
   * moment later.
   */
  private async beat(): Promise<void> {
    const handle = this.handle;
    if (!handle || this.lost) return;
    try {
      const now = new Date();
      await handle.utimes(now, now);
      if (await this.stillOurs(handle)) return;
      await new Promise((r) => setTimeout(r, Math.min(1000, this.heartbeatMs / 2)));
      if (this.handle !== handle || (await this.stillOurs(handle))) return;
    } catch {
      // a failed refresh (EIO, a full disk's metadata) is tried again next period; readers allow three
      return;
    }
    this.lost = true;
    clearInterval(this.timer);
    const why = `${this.file} was taken over by another process`;
    for (const l of this.lostListeners) l(why);
  }

  private async stillOurs(handle: FileHandle): Promise<boolean> {
    try {
      return sameFile(await stat(this.file), await handle.stat());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}

/** the locks this process holds, released synchronously if it exits without releasing them */
const heldInThisProcess = new Set<DataDirLock>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // process.exit() after a stop that timed out, or an error exit: this process writes nothing more
  process.on('exit', () => {
    for (const lock of [...heldInThisProcess]) lock.releaseSync();
  });
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** one process's share of its DATA_DIR lock */
export interface DataDirLease {
  readonly file: string;
  readonly info: LockInfo;
  /** see DataDirLock.onLost */
  onLost(listener: (why: string) => void): void;
  /** gives this share back; the lock file goes with the last share */
  release(): Promise<void>;
}

const shared = new Map<string, { lock: Promise<DataDirLock>; shares: number }>();
/** releases under way: a new hold of the same folder waits for them instead of finding its own old file */
const releasing = new Map<string, Promise<void>>();

/**
 * Holds DATA_DIR for this process: the first call acquires the lock (or throws DataDirBusyError), later
 * calls for the same folder share it.
 */
export async function holdDataDir(dataDir: string, holder: LockHolder, o: LockOptions = {}): Promise<DataDirLease> {
  await mkdir(dataDir, { recursive: true });
  // the real path: the same folder named two ways is still one folder
  const key = await realpath(dataDir);
  await releasing.get(key)?.catch(() => undefined);
  let entry = shared.get(key);
  if (!entry) {
    const created = { lock: DataDirLock.acquire(dataDir, holder, o), shares: 0 };
    entry = created;
    shared.set(key, created);
    created.lock.catch(() => {
      if (shared.get(key) === created) shared.delete(key);
    });
  }
  const held = entry;
  // counted before waiting, so a share released meanwhile cannot drop the lock under this one
  held.shares += 1;
  let lock: DataDirLock;
  try {
    lock = await held.lock;
  } catch (err) {
    held.shares -= 1;
    throw err;
  }
  let released = false;
  return {
    file: lock.file,
    info: lock.info,
    onLost: (listener) => lock.onLost(listener),
    async release() {
      if (released) return;
      released = true;
      held.shares -= 1;
      if (held.shares > 0) return;
      if (shared.get(key) === held) shared.delete(key);
      const done = lock.release().finally(() => {
        if (releasing.get(key) === done) releasing.delete(key);
      });
      releasing.set(key, done);
      await done;
    },
  };
}
