/** Image corruptions for robustness splits (sharp): Gaussian blur, seeded Gaussian noise, JPEG re-encoding and downscaling. */
import sharp, { type Sharp } from 'sharp';
import { assertNever } from '../../shared/assert-never';
import type { Corruption } from '../../shared/robustness-types';
import { mulberry32 } from '../splits/seeded-rng';

export interface CorruptedImage {
  bytes: Buffer;
  ext: 'png' | 'jpg';
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

/** Standard normal draws from a seeded uniform source (Box–Muller, both outputs used). */
function gaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - uniform(); // (0, 1]: log never sees 0
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

async function png(pipeline: Sharp): Promise<CorruptedImage> {
  const { data, info } = await pipeline.png().toBuffer({ resolveWithObject: true });
  return { bytes: data, ext: 'png', format: 'png', width: info.width, height: info.height };
}

/**
 * Applies one corruption. Lossless PNG output for blur, noise and downscale (so only the intended damage is added);
 * JPEG at the given quality for jpeg. The same input, parameter and seed always give the same bytes.
 */
export async function corruptImage(file: string, corruption: Corruption, param: number, seed: number): Promise<CorruptedImage> {
  // EXIF orientation is applied first, so the corrupted copy shows the photo as every viewer does; alpha is dropped.
  const base = () => sharp(file, { failOn: 'error' }).rotate().removeAlpha();
  switch (corruption) {
    case 'blur':
      return png(base().blur(param));
    case 'noise': {
      const { data, info } = await base().raw().toBuffer({ resolveWithObject: true });
      const next = gaussian(seed);
      const out = Buffer.allocUnsafe(data.length);
      for (let i = 0; i < data.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(data[i] + param * next())));
      return png(sharp(out, { raw: { width: info.width, height: info.height, channels: info.channels } }));
    }
    case 'jpeg': {
      const { data, info } = await base().jpeg({ quality: param, chromaSubsampling: '4:2:0' }).toBuffer({ resolveWithObject: true });
      return { bytes: data, ext: 'jpg', format: 'jpeg', width: info.width, height: info.height };
    }
    case 'downscale': {
      // Decoded to raw pixels first, so the source is not re-encoded before it is resized.
      const { data, info } = await base().raw().toBuffer({ resolveWithObject: true });
      const width = Math.max(1, Math.round(info.width * param));
      const height = Math.max(1, Math.round(info.height * param));
      const raw = { width: info.width, height: info.height, channels: info.channels };
      return png(sharp(data, { raw }).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }));
    }
    default:
      return assertNever(corruption, 'corruption');
  }
}
