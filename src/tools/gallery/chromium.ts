/**
 * Which Chromium the gallery drives: Debian's `chromium` package (Playwright's own browser download needs a
 * network these machines do not have, and `playwright-core` never downloads one). `CHROMIUM_PATH` names
 * another binary; without it, /usr/bin/chromium.
 */
import { accessSync, constants } from 'node:fs';

export const CHROMIUM_MISSING = 'install chromium: apt-get install -y chromium (or set CHROMIUM_PATH)';

/** the binary to launch, or undefined when there is none (or it cannot be run) */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.CHROMIUM_PATH || '/usr/bin/chromium';
  try {
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}
