/**
 * Who holds the DATA_DIR lock, and whether that holder can still be writing (data-dir-lock.ts).
 *
 * A pid means something only inside its own pid namespace on its own machine, since that machine's boot:
 * two containers sharing a volume both see "pid 1", and after a reboot (or a container restart with the
 * same hostname) an old pid may belong to an unrelated process. So the lock records where its pid is valid
 * (hostname, pid namespace, boot id) and the process's start time, and a reader trusts the pid only where
 * it can check it. Everywhere else (another host or container) it trusts the holder's heartbeat: the lock
 * file's mtime, refreshed every few seconds.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export type LockHolder = 'bot' | 'cli';

/** the content of DATA_DIR/bot.lock */
export interface LockInfo {
  pid: number;
  hostname: string;
  /** `pid:[4026531836]` from /proc/self/ns/pid; absent where there is no /proc */
  pidNamespace?: string;
  /** /proc/sys/kernel/random/boot_id: tells a reboot apart from a live holder */
  bootId?: string;
  /** the process's start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart */
  processStart?: string;
  startedAt: string;
  holder: LockHolder;
  /** for a command-line holder, which command (`npm run oig`): the one line a refused starter reads names it */
  command?: string;
  /** random per acquisition: tells this lock file apart from any other one with the same pid */
  token: string;
}

export interface Verdict {
  stale: boolean;
  /** why, for the log when a stale lock is taken over */
  reason: string;
}

/** this process, as it writes itself into a new lock */
export function ownLockInfo(holder: LockHolder, command?: string): LockInfo {
  const pidNamespace = readProc(() => readlinkSync('/proc/self/ns/pid'));
  const bootId = readProc(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  const processStart = processStartOf(process.pid);
  return {
    pid: process.pid,
    hostname: hostname(),
    ...(pidNamespace ? { pidNamespace } : {}),
    ...(bootId ? { bootId } : {}),
    ...(processStart ? { processStart } : {}),
    startedAt: new Date().toISOString(),
    holder,
    ...(command ? { command } : {}),
    token: randomBytes(12).toString('base64url'),
  };
}

/**
 * Whether the lock described by `info` (undefined: the file is empty or unreadable) with heartbeat
 * `mtimeMs` can be taken over by `me`.
 */
export function judgeLock(info: LockInfo | undefined, mtimeMs: number, me: LockInfo, staleAfterMs: number, nowMs = Date.now()): Verdict {
  const age = nowMs - mtimeMs;
  const heartbeat = (what: string): Verdict =>
    age > staleAfterMs
      ? { stale: true, reason: `${what}, and its heartbeat is ${Math.round(age / 1000)} s old` }
      : { stale: false, reason: `${what}, and its heartbeat is fresh` };
  // a lock file being written right now is empty for a moment; one a crash left empty stops getting heartbeats
  if (!info) return heartbeat('the lock file is unreadable');
  const samePidSpace = info.hostname === me.hostname && info.pidNamespace === me.pidNamespace;
  if (!samePidSpace) return heartbeat(`held on ${info.hostname}${info.pidNamespace ? ` (${info.pidNamespace})` : ''}, where its pid cannot be checked from here`);
  if (info.bootId && me.bootId && info.bootId !== me.bootId) return { stale: true, reason: `pid ${info.pid} ran before this machine restarted` };
  if (!isAlive(info.pid)) return { stale: true, reason: `pid ${info.pid} is gone` };
  const start = processStartOf(info.pid);
  if (info.processStart && start && info.processStart !== start) return { stale: true, reason: `pid ${info.pid} is another process now` };
  // the very process that took the lock is alive: it keeps it even if its heartbeat lags (a stalled event
  // loop, a stopped process) because it may write again any moment
  if (info.bootId && info.processStart && start) return { stale: false, reason: `pid ${info.pid} is alive` };
  // where the pid cannot be told apart from a reused one (no /proc), an alive pid must also heartbeat
  return heartbeat(`pid ${info.pid} exists`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so count from its end */
function processStartOf(pid: number): string | undefined {
  const stat = readProc(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

function readProc(read: () => string): string | undefined {
  try {
    return read() || undefined;
  } catch {
    return undefined; // no /proc (macOS, Windows) or not readable here
  }
}

/** parses a lock file's text; undefined for anything that is not a whole lock */
export function parseLockInfo(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid !== 'number' || typeof v.hostname !== 'string' || typeof v.token !== 'string') return undefined;
    return v as LockInfo;
  } catch {
    return undefined;
  }
}
