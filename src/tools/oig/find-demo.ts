/**
 * `npm run demo` keeps its data in a fresh temporary folder (src/demo.ts: `<tmpdir>/oig-chatops-demo-XXXXXX`,
 * made by mkdtemp, mode 0700) so it never mixes with a real store. A newcomer who then types
 * `npm run oig -- skipped` means that demo: when DATA_DIR is not set and no bot answers in ./data, the CLI
 * looks for a running demo's socket there, newest first.
 *
 * Only folders that are this user's and that nobody else may write are considered: /tmp is shared, and
 * another user could otherwise plant a folder with a socket of their own to answer in the demo's place.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { socketPath } from './socket-server.ts';

/** the prefix src/demo.ts gives mkdtemp (test/tools/oig-demo.test.ts runs the real demo and finds it) */
export const DEMO_DIR_PREFIX = 'oig-chatops-demo-';

/** the sockets of demos that may be running, newest first */
export function demoSockets(dir = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(DEMO_DIR_PREFIX));
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const found: Array<{ file: string; at: number }> = [];
  for (const name of names) {
    const folder = path.join(dir, name);
    try {
      const d = lstatSync(folder);
      if (!d.isDirectory() || (uid !== undefined && d.uid !== uid) || (d.mode & 0o022) !== 0) continue;
      const file = socketPath(folder);
      const s = lstatSync(file);
      if (s.isSocket() && (uid === undefined || s.uid === uid)) found.push({ file, at: s.mtimeMs });
    } catch {
      // no socket: a demo that has stopped (or not started yet)
    }
  }
  return found.sort((a, b) => b.at - a.at).map((f) => f.file);
}
