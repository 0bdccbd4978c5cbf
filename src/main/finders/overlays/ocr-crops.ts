/** Images handed to tesseract: the whole picture (bounded size) and binarized, zoomed crops of text bands (white-on-colour strips need it). */
import sharp from 'sharp';
import type { TextRegion } from './text-prefilter';

/** Longer side handed to tesseract: larger adds seconds, not words. */
const OCR_MAX_SIDE = 1600;
/** Band crops shorter than this are upscaled so strokes are several pixels thick. */
const MIN_CROP_HEIGHT = 96;
const BORDER = 16;

/** A PNG for tesseract plus how to map its pixel boxes back to the original image. */
export interface OcrInput {
  png: Buffer;
  /** original = offset + tesseract pixel × factor */
  factor: number;
  dx: number;
  dy: number;
}

/** The whole image, auto-oriented, longer side ≤ 1600 px. */
export async function fullImageInput(path: string, width: number, height: number): Promise<OcrInput> {
  const scale = Math.min(1, OCR_MAX_SIDE / Math.max(width, height));
  const png = await sharp(path, { failOn: 'truncated' })
    .autoOrient()
    .resize({ width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), fit: 'fill' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png, factor: 1 / scale, dx: 0, dy: 0 };
}

/** One band, Otsu-binarized with the minority tone (the strokes) made black on white, zoomed and framed by a white border. */
export async function bandInput(path: string, band: TextRegion): Promise<OcrInput> {
  const zoom = Math.min(4, Math.max(1, MIN_CROP_HEIGHT / band.height), OCR_MAX_SIDE / Math.max(band.width, band.height));
  const { data, info } = await sharp(path, { failOn: 'truncated' })
    .autoOrient()
    .extract(band)
    .resize({ width: Math.max(1, Math.round(band.width * zoom)), height: Math.max(1, Math.round(band.height * zoom)), fit: 'fill' })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const threshold = otsuThreshold(data);
  let above = 0;
  for (const v of data) if (v > threshold) above++;
  // Strokes are the minority: if the bright side is smaller, bright pixels become black.
  const brightIsInk = above < data.length / 2;
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i]! > threshold) === brightIsInk ? 0 : 255;
  const png = await sharp(out, { raw: { width: info.width, height: info.height, channels: 1 } })
    .extend({ top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, background: '#ffffff' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png, factor: 1 / zoom, dx: band.left - BORDER / zoom, dy: band.top - BORDER / zoom };
}

/** Otsu's threshold over 8-bit gray values. */
export function otsuThreshold(data: Uint8Array): number {
  const hist = new Uint32Array(256);
  let sum = 0;
  for (const v of data) {
    hist[v]!++;
    sum += v;
  }
  const n = data.length;
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = n - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const between = wB * wF * (sumB / wB - (sum - sumB) / wF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}
