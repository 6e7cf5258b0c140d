import { execFileSync } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { openAppendOnly, type LogHandle } from '../../src/store/journal-files.ts';
import { Journal, type JournalOptions } from '../../src/store/journal.ts';

/** a tiny state to journal: named numbers */
type Op = { set: string; to: number } | { del: string };
type State = Map<string, number>;

interface Logged {
  level: number;
  msg: string;
  [k: string]: unknown;
}

function capture(): { log: Logger; lines: Logged[] } {
  const lines: Logged[] = [];
  return { log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Logged) }), lines };
}

function options(dir: string, over: Partial<JournalOptions<State, Op>> = {}): JournalOptions<State, Op> {
  return {
    dir,
    log: pino({ level: 'silent' }),
    initial: () => new Map(),
    apply: (s, op) => void ('set' in op ? s.set(op.set, op.to) : s.delete(op.del)),
    encode: (s) => Object.fromEntries(s),
    decode: (json) => new Map(Object.entries(json as Record<string, number>)),
    liveBytes: (s) => s.size * 20,
    ...over,
  };
}

const set = (j: Journal<State, Op>, key: string, to: number) => j.commit(() => ({ op: { set: key, to }, result: undefined }));
const del = (j: Journal<State, Op>, key: string) => j.commit(() => ({ op: { del: key }, result: undefined }));
const newDir = async () => path.join(await mkdtemp(path.join(tmpdir(), 'oig-journal-')), 'j');
const files = async (dir: string) => (await readdir(dir)).sort();
const logOf = (dir: string, gen = 1) => path.join(dir, `${String(gen).padStart(8, '0')}.log.jsonl`);

describe('Journal', () => {
  it('rebuilds the state from its log at start-up, one appended line per change', async () => {
    const dir = await newDir();
    const j = await Journal.open(options(dir));
    await set(j, 'a', 1);
    await set(j, 'b', 2);
    await del(j, 'a');
    await j.close();
    expect((await readFile(logOf(dir), 'utf8')).split('\n')).toEqual(['{"set":"a","to":1}', '{"set":"b","to":2}', '{"del":"a"}', '']);
    const again = await Journal.open(options(dir));
    expect([...again.state]).toEqual([['b', 2]]);
    await again.close();
  });

  it('runs commits one after another, each planned against the state the earlier ones left', async () => {
    const j = await Journal.open(options(await newDir()));
    const bump = () => j.commit((s) => ({ op: { set: 'n', to: (s.get('n') ?? 0) + 1 }, result: undefined }));
    await Promise.all(Array.from({ length: 20 }, bump));
    expect(j.state.get('n')).toBe(20);
    await j.close();
  });

  it('tolerates a torn last line, and cuts it off so the next change starts a clean line', async () => {
    const dir = await newDir();
    const { log, lines } = capture();
    const j = await Journal.open(options(dir));
    await set(j, 'a', 1);
    await j.close();
    await appendFile(logOf(dir), '{"set":"b","t'); // a crash in the middle of an append
    const again = await Journal.open(options(dir, { log }));
    expect([...again.state]).toEqual([['a', 1]]);
    expect(lines.some((l) => l.level === 40 && l.msg.includes('torn last line'))).toBe(true);
    await set(again, 'c', 3);
    await again.close();
    expect(await readFile(logOf(dir), 'utf8')).toBe('{"set":"a","to":1}\n{"set":"c","to":3}\n');
    const third = await Journal.open(options(dir));
    expect([...third.state]).toEqual([['a', 1], ['c', 3]]);
    await third.close();
  });

  it('reports an unreadable line in the middle loudly, applies the rest and keeps the file aside', async () => {
    const dir = await newDir();
    const j = await Journal.open(options(dir));
    await set(j, 'a', 1);
    await j.close();
    await appendFile(logOf(dir), 'garbage\n{"set":"b","to":2}\n');
    const { log, lines } = capture();
    const again = await Journal.open(options(dir, { log }));
    expect([...again.state]).toEqual([['a', 1], ['b', 2]]);
    const error = lines.find((l) => l.level === 50);
    expect(error).toMatchObject({ lines: [2] });
    expect(error!.msg).toContain('unreadable lines');
    // the state now lives in generation 2; the bad log is kept, not deleted
    expect(await files(dir)).toEqual(['00000001.log.jsonl.corrupt', '00000002.log.jsonl', '00000002.snapshot.json']);
    expect(await readFile(`${logOf(dir)}.corrupt`, 'utf8')).toContain('garbage');
    await again.close();
    const third = await Journal.open(options(dir));
    expect([...third.state]).toEqual([['a', 1], ['b', 2]]);
    await third.close();
  });

  it('leaves the log and the state as they were when an append fails, and the next one works', async () => {
    const dir = await newDir();
    let failNext = false;
    const openLog = async (file: string): Promise<LogHandle> => {
      const real = await openAppendOnly(file);
      return {
        ...real,
        // half the line reaches the disk, then the disk is full
        append: async (data) => {
          if (!failNext) return real.append(data);
          failNext = false;
          await real.append(data.subarray(0, data.length >> 1));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      };
    };
    const j = await Journal.open(options(dir, { openLog }));
    await set(j, 'a', 1);
    const before = await readFile(logOf(dir));
    failNext = true;
    await expect(set(j, 'b', 2)).rejects.toThrow('ENOSPC');
    expect([...j.state]).toEqual([['a', 1]]);
    expect(await readFile(logOf(dir))).toEqual(before);
    await set(j, 'c', 3);
    await j.close();
    const again = await Journal.open(options(dir));
    expect([...again.state]).toEqual([['a', 1], ['c', 3]]);
    await again.close();
  });

  it('starts a new file when a failed append cannot even be cut off, before it appends anything more', async () => {
    const dir = await newDir();
    let fail = false;
    const openLog = async (file: string): Promise<LogHandle> => {
      const real = await openAppendOnly(file);
      return {
        ...real,
        append: async (data) => {
          if (!fail) return real.append(data);
          await real.append(data.subarray(0, 5));
          throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
        },
        truncate: async (length) => {
          if (fail) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
          return real.truncate(length);
        },
      };
    };
    const j = await Journal.open(options(dir, { openLog }));
    await set(j, 'a', 1);
    fail = true;
    await expect(set(j, 'b', 2)).rejects.toThrow('EIO');
    fail = false;
    await set(j, 'c', 3);
    await j.close();
    // the torn bytes stay behind in generation 1, which is no longer used
    expect(await files(dir)).toEqual(['00000002.log.jsonl', '00000002.snapshot.json']);
    const again = await Journal.open(options(dir));
    expect([...again.state]).toEqual([['a', 1], ['c', 3]]);
    await again.close();
  });

  it('on a really full disk (a tiny tmpfs) rejects, keeps the file whole, and works once space is back', async (ctx) => {
    const mount = await mkdtemp(path.join(tmpdir(), 'oig-journal-tmpfs-'));
    try {
      if (process.getuid?.() !== 0) throw new Error('not root');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      ctx.skip('needs root and a working `mount -t tmpfs` (the failure is simulated in the tests above)');
      return;
    }
    try {
      const dir = path.join(mount, 'j');
      const j = await Journal.open(options(dir));
      await set(j, 'a', 1);
      const filler = path.join(mount, 'filler');
      // fill all but a few hundred bytes: a big change cannot fit, a small one could
      await writeFile(filler, Buffer.alloc(48 * 1024));
      const before = await readFile(logOf(dir));
      const big = 'x'.repeat(16 * 1024);
      await expect(set(j, big, 2)).rejects.toThrow(/ENOSPC|short write/);
      expect(j.state.has(big)).toBe(false);
      expect(await readFile(logOf(dir))).toEqual(before);
      await rm(filler);
      await set(j, 'c', 3);
      await j.close();
      const again = await Journal.open(options(dir));
      expect([...again.state]).toEqual([['a', 1], ['c', 3]]);
      await again.close();
    } finally {
      execFileSync('umount', [mount]);
      await rm(mount, { recursive: true, force: true });
    }
  });
});

describe('Journal compaction', () => {
  it('writes a snapshot and starts a new log once the log outgrows the live state, and loses nothing', async () => {
    const dir = await newDir();
    const j = await Journal.open(options(dir, { floorBytes: 200 }));
    // a queue that stays short while much goes through it: live state about 100 bytes, ~7 KB of changes
    for (let i = 0; i < 200; i++) {
      await set(j, `k${i}`, i);
      if (i % 40 !== 0) await del(j, `k${i}`);
    }
    const names = await files(dir);
    const gen = Number(names.find((n) => n.endsWith('.snapshot.json'))!.slice(0, 8));
    expect(gen).toBeGreaterThan(1);
    // one generation on disk: the old ones are gone
    expect(names).toEqual([`${String(gen).padStart(8, '0')}.log.jsonl`, `${String(gen).padStart(8, '0')}.snapshot.json`]);
    // the log stays below 4× the live state plus the floor (and one line); far less is on disk than went through
    const [logSize, snapshotSize] = [(await stat(path.join(dir, names[0]!))).size, (await stat(path.join(dir, names[1]!))).size];
    expect(logSize).toBeLessThanOrEqual(4 * j.state.size * 20 + 200 + 20);
    expect(logSize + snapshotSize).toBeLessThan(j.bytesWritten / 5);
    const expected = [...j.state];
    await j.close();
    const again = await Journal.open(options(dir));
    expect([...again.state]).toEqual(expected);
    await again.close();
  });

  it('start-up finds a consistent state after a crash at any step of a compaction', async () => {
    // the files just before and just after one compaction, then every mix a crash can leave
    const dir = await newDir();
    const j = await Journal.open(options(dir, { floorBytes: 150 }));
    await set(j, 'keep', 1);
    const before = `${dir}-before`;
    let trigger: Op | undefined;
    for (let i = 0; !trigger; i++) {
      await rm(before, { recursive: true, force: true });
      await cp(dir, before, { recursive: true });
      const op: Op = i % 2 === 0 ? { set: 'tmp', to: i } : { del: 'tmp' };
      await j.commit(() => ({ op, result: undefined }));
      if ((await files(dir)).includes('00000002.snapshot.json')) trigger = op;
    }
    const expected = [...j.state];
    expect(await files(dir)).toEqual(['00000002.log.jsonl', '00000002.snapshot.json']);
    await j.close();
    const after = `${dir}-after`;
    await cp(dir, after, { recursive: true });
    // the change that triggered the compaction was appended to log 1 first
    await appendFile(logOf(before), JSON.stringify(trigger) + '\n');

    const crashes: Record<string, (at: string) => Promise<void>> = {
      'the new empty log created, no snapshot yet': async (at) => {
        await cp(before, at, { recursive: true });
        await writeFile(logOf(at, 2), '');
      },
      'the snapshot half written (a temp file)': async (at) => {
        await cp(before, at, { recursive: true });
        await writeFile(logOf(at, 2), '');
        await writeFile(path.join(at, '00000002.snapshot.json.tmp'), '{"journal":1,"gen":2,"sta');
      },
      'the snapshot renamed in, generation 1 not deleted yet': async (at) => {
        await cp(before, at, { recursive: true });
        await cp(after, at, { recursive: true });
      },
      'log 1 deleted, snapshot 1 not yet': async (at) => {
        await cp(after, at, { recursive: true });
        await cp(path.join(before, '00000001.snapshot.json'), path.join(at, '00000001.snapshot.json'));
      },
    };
    for (const [when, make] of Object.entries(crashes)) {
      const at = `${dir}-${when.replace(/\W+/g, '-')}`;
      await make(at);
      const again = await Journal.open(options(at));
      expect([...again.state], when).toEqual(expected);
      await set(again, 'more', 3);
      await again.close();
      const third = await Journal.open(options(at));
      expect([...third.state], when).toEqual([...expected, ['more', 3]]);
      expect((await files(at)).filter((f) => f.endsWith('.snapshot.json')), when).toHaveLength(1);
      await third.close();
    }
  });

  it('keeps aside a non-empty log that has no snapshot (never written by the journal) and says so', async () => {
    const dir = await newDir();
    const j = await Journal.open(options(dir));
    await set(j, 'a', 1);
    await j.close();
    await writeFile(logOf(dir, 2), '{"set":"b","to":2}\n');
    const { log, lines } = capture();
    const again = await Journal.open(options(dir, { log }));
    expect([...again.state]).toEqual([['a', 1]]);
    expect(lines.some((l) => l.level === 50 && l.msg.includes('without its snapshot'))).toBe(true);
    expect(await files(dir)).toContain('00000002.log.jsonl.corrupt');
    await again.close();
  });
});

describe('Journal import of a whole-file state', () => {
  it('imports the old file once, removes it, and never imports a leftover twice', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'oig-journal-'));
    const legacyFile = path.join(root, 'old.json');
    const legacy = { file: legacyFile, read: (json: unknown) => new Map(Object.entries(json as Record<string, number>)) };
    await writeFile(legacyFile, JSON.stringify({ a: 1, b: 2 }));
    const dir = path.join(root, 'j');
    const j = await Journal.open(options(dir, { legacy }));
    expect([...j.state]).toEqual([['a', 1], ['b', 2]]);
    await expect(stat(legacyFile)).rejects.toThrow('ENOENT');
    await set(j, 'c', 3);
    await j.close();
    // as if the process died after the import's snapshot but before the old file was removed
    await writeFile(legacyFile, JSON.stringify({ a: 1, b: 2 }));
    const again = await Journal.open(options(dir, { legacy }));
    expect([...again.state]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    await expect(stat(legacyFile)).rejects.toThrow('ENOENT');
    await again.close();
  });
});
