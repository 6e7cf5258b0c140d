/**
 * The real size of a PNG, read from its header (PNG spec §11.2.2: the 8-byte signature, then the IHDR chunk
 * with width and height as 4-byte big-endian numbers), so a wrong icon is caught here rather than by Teams
 * at upload. No image library: those two numbers are all that is needed.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngSize {
  width: number;
  height: number;
}

/** the size, or why `bytes` is not a PNG */
export function pngSize(bytes: Buffer): PngSize | string {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(SIGNATURE)) return 'is not a PNG file';
  if (bytes.toString('ascii', 12, 16) !== 'IHDR') return 'is a damaged PNG (no IHDR chunk first)';
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
