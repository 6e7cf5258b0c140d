/**
 * The file operations behind the DATA_DIR lock (data-dir-lock.ts), each atomic on a local POSIX file
 * system, and why a takeover of a stale lock is safe while other processes start at the same time:
 *
 *   1. Creation is `open(…, 'wx')` (O_CREAT|O_EXCL): of any number of concurrent creators exactly one
 *      succeeds. Everyone else reads what is there and judges it (lock-owner.ts).
 *   2. A process that judged lock S stale first *claims* S: it creates `bot.lock.<S's token>.takeover`,
 *      again with O_EXCL. Of all processes that judged S stale, exactly one holds the claim; the others
 *      wait for it to finish and judge again (they then find the new live lock, or no lock and compete in
 *      the O_EXCL create). So only one process ever moves S away — it can never move a lock created after
 *      S by mistake, which a plain "rename, then check" would do when a third starter creates a lock in the
 *      instant the path is empty.
 *   3. The claimant moves the file at the path to a name only it uses (rename() is atomic) and compares
 *      what it moved with what it judged: same device and inode, same token, same mtime (no heartbeat came
 *      in between, which would prove the holder alive). Only then it deletes it; otherwise (S's holder woke
 *      up and released, and someone else created a lock since) it puts the file back with link(), which
 *      never replaces a file, and judges again.
 *   4. Then it competes in the O_EXCL create like any starter.
 *
 * A claimant that dies mid-takeover leaves its claim behind: a claim whose claimant is stale (judged like a
 * lock) is skipped for the next level (`….takeover.1`, …). Claims are kept by the new holder until it
 * releases (a slow process that read S long ago must still find S claimed); old leftovers are swept.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { judgeLock, parseLockInfo, type LockInfo } from './lock-owner.ts';

/** a lock (or claim) file as found: its content, and which file it was, to recognise it after a rename */
export interface Found {
  info: LockInfo | undefined;
  dev: number;
  ino: number;
  mtimeMs: number;
}

/** creates `file` only if there is none, with `info` in it; the open handle, or undefined when it exists */
export async function createExclusive(file: string, info: LockInfo): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
  try {
    await handle.writeFile(JSON.stringify(info) + '\n');
    return handle;
  } catch (err) {
    // the file is ours and nobody judges a file this young stale: removing it is safe
    await handle.close();
    await rm(file, { force: true });
    throw err;
  }
}

/** the file's content with the identity of the file it came from; undefined when there is none */
export async function readLock(file: string): Promise<Found | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    // stat and content from the same open file, so they describe the same one
    const s = await handle.stat();
    return { info: parseLockInfo(await handle.readFile('utf8')), dev: s.dev, ino: s.ino, mtimeMs: s.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** the same for a file this process holds open */
export async function foundOf(handle: FileHandle, info: LockInfo): Promise<Found> {
  const s = await handle.stat();
  return { info, dev: s.dev, ino: s.ino, mtimeMs: s.mtimeMs };
}

/**
 * Claims the takeover of the stale lock `found` (step 2). Resolves with the claim file's path, or undefined
 * when a live process holds the claim (it is taking S over right now).
 */
export async function claimTakeover(file: string, found: Found, me: LockInfo, staleAfterMs: number): Promise<string | undefined> {
  // an unreadable lock (torn by a crash) has no token: name it by its file and mtime instead
  const id = (found.info?.token ?? `${found.dev}-${found.ino}-${found.mtimeMs}`).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 48);
  for (let level = 0; level < 4; level++) {
    const claim = `${file}.${id}.takeover${level ? `.${level}` : ''}`;
    const handle = await createExclusive(claim, me);
    if (handle) {
      await handle.close();
      return claim;
    }
    const claimant = await readLock(claim);
    if (claimant && !judgeLock(claimant.info, claimant.mtimeMs, me, staleAfterMs).stale) return undefined;
    // its claimant died mid-takeover (or the claim was just swept): the next level
  }
  return undefined;
}

/**
 * Removes the file at `file` if it is still exactly the one `found` describes (step 3); false when it was
 * not there or was another one (then it is put back).
 */
export async function removeIfUnchanged(file: string, found: Found): Promise<boolean> {
  const aside = `${file}.${randomBytes(6).toString('hex')}.old`;
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const moved = await readLock(aside);
  if (moved && moved.dev === found.dev && moved.ino === found.ino && moved.mtimeMs === found.mtimeMs && moved.info?.token === found.info?.token) {
    await rm(aside, { force: true });
    return true;
  }
  try {
    await link(aside, file);
  } catch (err) {
    // no hard links on this file system: a rename puts it back. EEXIST: a new lock was created meanwhile;
    // the holder of the one moved notices at its next heartbeat that the path is no longer its file.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rename(aside, file).catch(() => undefined);
  }
  await rm(aside, { force: true });
  return false;
}

/** claims and set-aside files older than `olderThanMs` that crashed takeovers left behind */
export async function sweepLeftovers(dir: string, base: string, olderThanMs: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const leftovers = names.filter((n) => n.startsWith(`${base}.`) && (n.includes('.takeover') || n.endsWith('.old')));
  for (const name of leftovers) {
    const full = path.join(dir, name);
    const s = await stat(full).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > olderThanMs) await rm(full, { force: true });
  }
}
