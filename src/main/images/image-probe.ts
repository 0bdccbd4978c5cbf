/**
 * Decodes an image once with sharp: header metadata (format, size, pixel-limit check) and the
 * WebP thumbnail from the same buffer. Building the thumbnail forces a full decode, which is what
 * detects truncated or corrupt files; every failure maps to an ImportIssueReason.
 */
import sharp from 'sharp';
import type { ImportIssueReason } from '../../shared/domain';

/** Default decompression-bomb guard: images above this many pixels are refused. */
export const DEFAULT_MAX_PIXELS = 100_000_000;
/** Thumbnail box edge in pixels (fit inside, never enlarged). */
export const THUMB_SIZE = 256;

/** Raster formats the studio stores, with the store file extension for each. */
const FORMAT_EXT: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tif',
  heif: 'heif',
  avif: 'avif',
};

// Thumbnails are small and made once per image; libvips' operation cache only costs memory here.
sharp.cache(false);

export interface ProbeOptions {
  maxPixels?: number;
}

export type ProbeResult =
  | { ok: true; format: string; ext: string; width: number; height: number; thumb: Buffer }
  | { ok: false; reason: ImportIssueReason; detail: string };

/**
 * Probes an image (bytes already read, or a file path for very large files): metadata, pixel
 * limit, and a full decode into the WebP thumbnail.
 */
export async function probeImage(bytes: Buffer | string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (typeof bytes !== 'string' && bytes.length === 0) {
    return { ok: false, reason: 'empty-file', detail: 'the file is empty (0 bytes)' };
  }
  const input = { failOn: 'truncated' as const, limitInputPixels: maxPixels };
  let format: string;
  let width: number;
  let height: number;
  try {
    const meta = await sharp(bytes, input).metadata();
    format = meta.format ?? 'unknown';
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
  } catch (err) {
    return classifyError(err);
  }
  const ext = FORMAT_EXT[format];
  if (!ext) return { ok: false, reason: 'not-an-image', detail: `unsupported image format "${format}"` };
  if (width <= 0 || height <= 0) return { ok: false, reason: 'corrupt', detail: 'the image has no size' };
  if (width * height > maxPixels) {
    return { ok: false, reason: 'too-many-pixels', detail: `${width}×${height} exceeds the ${maxPixels} pixel limit` };
  }
  try {
    const thumb = await makeThumbnail(bytes, maxPixels);
    return { ok: true, format, ext, width, height, thumb };
  } catch (err) {
    const verdict = classifyError(err);
    // Under concurrent decodes libvips sometimes reports only "Unknown error"; the file's own end marker decides.
    if (verdict.reason === 'corrupt' && typeof bytes !== 'string' && lacksEndMarker(bytes, format)) {
      return { ok: false, reason: 'truncated', detail: 'premature end of image data (the file is truncated or damaged)' };
    }
    return verdict;
  }
}

/** True when a JPEG has no EOI marker or a PNG no IEND chunk at its end (trailing padding allowed): the file was cut short. */
export function lacksEndMarker(bytes: Buffer, format: string): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 64));
  if (format === 'jpeg') return tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < 0;
  if (format === 'png') return tail.lastIndexOf(Buffer.from('IEND', 'latin1')) < 0;
  return false;
}

/**
 * WebP thumbnail, fit inside THUMB_SIZE. 'linear' resampling and WebP effort 0 are chosen for
 * throughput (imports of small photos are dominated by this step); at 256 px the visual
 * difference from lanczos3/effort 4 is negligible while the import runs ~1.5× faster.
 */
export function makeThumbnail(bytes: Buffer | string, maxPixels = DEFAULT_MAX_PIXELS): Promise<Buffer> {
  return sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true, kernel: 'linear' })
    .webp({ quality: 75, effort: 0 })
    .toBuffer();
}

/** Maps a sharp/libvips error message to the issue reason users see in the import report. */
export function classifyError(err: unknown): { ok: false; reason: ImportIssueReason; detail: string } {
  const message = err instanceof Error ? err.message : String(err);
  const detail = message.split('\n')[0].trim();
  const lower = message.toLowerCase();
  if (lower.includes('pixel limit')) return { ok: false, reason: 'too-many-pixels', detail };
  if (lower.includes('empty')) return { ok: false, reason: 'empty-file', detail };
  if (lower.includes('unsupported image format')) return { ok: false, reason: 'not-an-image', detail };
  if (/premature end|truncated|unexpected end|read error|out of data|short read|not enough data/.test(lower)) {
    return { ok: false, reason: 'truncated', detail };
  }
  // With failOn 'truncated', libvips promotes a truncation warning to this generic error; which of the
  // two messages reaches us depends on libvips' per-thread error buffer, so both map to the same reason.
  if (lower.includes('warning treated as error')) {
    return { ok: false, reason: 'truncated', detail: 'premature end of image data (the file is truncated or damaged)' };
  }
  return { ok: false, reason: 'corrupt', detail };
}
