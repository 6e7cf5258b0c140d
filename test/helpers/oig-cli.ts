/**
 * Runs the real `npm run oig` entry point (src/tools/oig.ts) in a child process, as a user would, from any
 * folder: the tsx loader is named by its full URL so the working directory need not be the project's.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsxLoader = import.meta.resolve('tsx');
const script = path.join(root, 'src/tools/oig.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** the variables besides PATH (no DATA_DIR here means none: the CLI then looks in ./data of `cwd`) */
  env?: Record<string, string>;
  /** default: the project folder */
  cwd?: string;
  /** run as this user (the test process must be root) */
  uid?: number;
  gid?: number;
}

/** true when a user other than the owner may run `file` (o+x on it and on every folder above it) */
function othersMayRun(file: string): boolean {
  for (let p = file; ; p = path.dirname(p)) {
    try {
      if ((statSync(p).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (p === path.dirname(p)) return true;
  }
}

/**
 * The Node binary another user can run: this one, unless it lives in a folder only its owner may enter (CI
 * runs Node 22 and 24 from root's npx cache), then the system's. Undefined when there is none.
 */
export function nodeForOtherUsers(): string | undefined {
  return [process.execPath, '/usr/bin/node', '/usr/local/bin/node'].find(othersMayRun);
}

export function runOig(args: string[], o: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      (o.uid !== undefined ? nodeForOtherUsers() : undefined) ?? process.execPath,
      ['--import', tsxLoader, script, ...args],
      {
        cwd: o.cwd ?? root,
        env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...o.env },
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        ...(o.uid !== undefined ? { uid: o.uid, gid: o.gid ?? o.uid } : {}),
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
