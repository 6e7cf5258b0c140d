/**
 * `npm run gallery [-- --out DIR] [--scale N]`: pictures of every card kind as Slack and Teams show them,
 * into docs/gallery (write-gallery.ts says how). Needs Chromium (Debian's `chromium` package, or
 * CHROMIUM_PATH); exits 1 with what to install when there is none, and with the list of problems when a
 * card did not draw cleanly.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_MISSING, chromiumPath } from './chromium.ts';
import { writeGallery } from './write-gallery.ts';

const DEFAULT_OUT = path.resolve(import.meta.dirname, '../../../docs/gallery');

async function gallery(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, scale: { type: 'string' } } });
  const scale = Number(values.scale ?? '1');
  if (!(scale >= 1 && scale <= 3)) {
    process.stderr.write(`gallery: --scale must be a number from 1 to 3 (got ${values.scale})\n`);
    return 1;
  }
  const chromium = chromiumPath();
  if (!chromium) {
    process.stderr.write(`gallery: no Chromium at ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'}: ${CHROMIUM_MISSING}\n`);
    return 1;
  }
  const outDir = path.resolve(values.out ?? DEFAULT_OUT);
  const started = Date.now();
  const result = await writeGallery({ outDir, chromium, scale, log: (l) => process.stderr.write(`${l}\n`) });
  if (result.problems.length > 0) {
    process.stderr.write(`gallery: not written, ${result.problems.length} problem(s):\n${result.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  const kb = Math.round(result.bytes / 1024);
  process.stdout.write(`gallery: ${result.entries.length} cards, ${result.files.length} files (${kb} KiB) in ${path.relative(process.cwd(), outDir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}

gallery().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`gallery failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
