/** ImageNet-style preprocessing (resize shorter side, centre-crop, normalise, NCHW float32) with sharp. */
import sharp from 'sharp';
import { classifyError } from '../../images/image-probe';

export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** A file path or encoded image bytes. */
export type ImageInput = string | Buffer;

export interface PreprocessOptions {
  cropHeight: number;
  cropWidth: number;
  /** Shorter side after resizing; defaults to round(max(crop) · 256/224), i.e. 256 for a 224 crop. */
  resizeShorter?: number;
  mean?: readonly [number, number, number];
  std?: readonly [number, number, number];
}

export const IMAGENET_224: PreprocessOptions = { cropHeight: 224, cropWidth: 224 };

/**
 * Decodes one image (EXIF-rotated, alpha dropped, greyscale expanded to sRGB), resizes its shorter side
 * (bilinear, like torchvision's default), centre-crops, scales to 0..1, normalises per channel and lays the
 * result out channel-major: a Float32Array of 3·H·W.
 */
export async function preprocessImage(input: ImageInput, options: PreprocessOptions = IMAGENET_224): Promise<Float32Array> {
  const { cropHeight: ch, cropWidth: cw } = options;
  const shorter = options.resizeShorter ?? Math.round((Math.max(ch, cw) * 256) / 224);
  if (shorter < Math.max(ch, cw)) throw new Error(`resizeShorter ${shorter} is smaller than the ${cw}×${ch} crop`);
  const mean = options.mean ?? IMAGENET_MEAN;
  const std = options.std ?? IMAGENET_STD;

  const { data, info } = await sharp(input)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .resize({ width: shorter, height: shorter, fit: 'outside', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 colour channels after decoding, got ${info.channels}`);
  if (info.width < cw || info.height < ch) throw new Error(`resized image ${info.width}×${info.height} is smaller than the crop`);

  const left = Math.floor((info.width - cw) / 2);
  const top = Math.floor((info.height - ch) / 2);
  const plane = ch * cw;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < ch; y++) {
    const rowStart = ((top + y) * info.width + left) * 3;
    for (let x = 0; x < cw; x++) {
      const src = rowStart + x * 3;
      const dst = y * cw + x;
      for (let c = 0; c < 3; c++) out[c * plane + dst] = (data[src + c] / 255 - mean[c]) / std[c];
    }
  }
  return out;
}

export type PreprocessResult = { ok: true; tensor: Float32Array; ms: number } | { ok: false; error: string; ms: number };

/** Preprocesses a batch concurrently; a failing image yields { ok: false } instead of rejecting the batch. */
export async function preprocessBatch(inputs: readonly ImageInput[], options: PreprocessOptions = IMAGENET_224): Promise<PreprocessResult[]> {
  return Promise.all(
    inputs.map(async (input): Promise<PreprocessResult> => {
      const start = performance.now();
      try {
        const tensor = await preprocessImage(input, options);
        return { ok: true, tensor, ms: performance.now() - start };
      } catch (err) {
        return { ok: false, error: classifyError(err).detail, ms: performance.now() - start };
      }
    }),
  );
}

/** Concatenates per-image CHW tensors into one NCHW buffer, zero-padding up to `batchSize` rows if given. */
export function stackNchw(tensors: readonly Float32Array[], batchSize = tensors.length): Float32Array {
  if (tensors.length === 0) throw new Error('cannot stack an empty batch');
  if (batchSize < tensors.length) throw new Error(`batch of ${tensors.length} exceeds batch size ${batchSize}`);
  const size = tensors[0].length;
  const out = new Float32Array(batchSize * size);
  tensors.forEach((t, i) => {
    if (t.length !== size) throw new Error('all images in a batch must have the same tensor size');
    out.set(t, i * size);
  });
  return out;
}
