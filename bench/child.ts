import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs a bench script in its own Node process (so servers, load and memory are measured apart) and
 * resolves with the first JSON line it prints on stdout; the process keeps running until killed.
 */
export function runChild<T>(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ child: ChildProcess; result: T }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(root, 'bench', script), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, result: JSON.parse(line) as T });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code} before reporting`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
