import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from './start-bot.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const children: ChildProcess[] = [];

export interface BotProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  /** everything printed so far (stdout and stderr) */
  out: () => string;
}

/** runs the real entry point (`npm start` without npm) and resolves once its banner shows the hook URL */
export function startProcess(dataDir: string, env: Record<string, string> = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: TEST_SECRET, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /http:\/\/[^:\s]+:(\d+)\/okta\/hooks/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}`, out: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
}

const hasExited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

/** the exit code once the process has ended (null when a signal ended it) */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (hasExited(child) ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/** kills what startProcess started and is still running (for afterEach) */
export async function stopProcesses(): Promise<void> {
  for (const c of children.splice(0)) {
    if (hasExited(c)) continue;
    c.kill('SIGKILL');
    await exited(c);
  }
}
