/** Bit-identical, faster replacement for transformers.js' per-image ImageProcessor.preprocess (fused rescale/normalize/HWC→CHW). */
import { Tensor, type RawImage } from '@huggingface/transformers';

/** The ImageProcessor fields the base `preprocess` (transformers.js 4.3) reads. */
interface BaseImageProcessor {
  preprocess(image: RawImage, overrides?: PreprocessOverrides): Promise<PreprocessedImage>;
  resize(image: RawImage): Promise<RawImage>;
  do_crop_margin?: boolean;
  do_convert_rgb?: boolean;
  do_resize?: boolean;
  do_thumbnail?: boolean;
  do_center_crop?: boolean;
  do_rescale?: boolean;
  rescale_factor: number;
  do_normalize?: boolean;
  image_mean?: number | number[];
  image_std?: number | number[];
  do_pad?: boolean;
  pad_size?: unknown;
  size_divisibility?: unknown;
  do_flip_channel_order?: boolean;
}

interface PreprocessOverrides {
  do_normalize?: boolean | null;
  do_pad?: boolean | null;
  do_convert_rgb?: boolean | null;
  do_convert_grayscale?: boolean | null;
  do_flip_channel_order?: boolean | null;
}

interface PreprocessedImage {
  original_size: [number, number];
  reshaped_input_size: [number, number];
  pixel_values: Tensor;
}

const perChannel = (v: number | number[] | undefined, channels: number): number[] | null =>
  v === undefined ? null : Array.isArray(v) ? v : new Array<number>(channels).fill(v);

/**
 * The base preprocess stores uint8 pixels as float32, rescales in place (float32 store), normalises in
 * place ((x − mean) / std, float32 store), then permutes HWC → CHW with a generic n-d permute — the
 * slowest step (≈10 ms for a 450×313 photo, 35 ms for SmolVLM frames). This does the same float32
 * roundings in one pass straight into CHW order, so `pixel_values` are bit-identical.
 * Returns null when a setting outside that path is active (crop margin, thumbnail, centre crop, pad,
 * grayscale, channel flip): the caller then uses the original.
 */
export async function fastPreprocess(
  proc: BaseImageProcessor,
  image: RawImage,
  overrides: PreprocessOverrides = {},
): Promise<PreprocessedImage | null> {
  const doPad = overrides.do_pad ?? proc.do_pad;
  if (proc.do_crop_margin || proc.do_thumbnail || proc.do_center_crop) return null;
  if (doPad && (proc.pad_size || proc.size_divisibility)) return null;
  if (overrides.do_flip_channel_order ?? proc.do_flip_channel_order) return null;
  const convertRgb = overrides.do_convert_rgb ?? proc.do_convert_rgb;
  if (!convertRgb && (overrides.do_convert_grayscale || image.channels !== 3)) return null;

  const [srcWidth, srcHeight] = image.size;
  if (convertRgb) image = image.rgb();
  if (proc.do_resize) image = await proc.resize(image);
  const { width: W, height: H, channels: C } = image;
  if (C !== 3) return null;
  const normalize = overrides.do_normalize ?? proc.do_normalize;
  const mean = normalize ? perChannel(proc.image_mean, C) : null;
  const std = normalize ? perChannel(proc.image_std, C) : null;
  if (normalize && (!mean || !std || mean.length !== C || std.length !== C)) return null;

  const src = image.data;
  const HW = H * W;
  const out = new Float32Array(C * HW);
  const f32 = new Float32Array(1);
  const rescale = proc.do_rescale ? proc.rescale_factor : null;
  for (let c = 0; c < C; c++) {
    const m = mean ? mean[c] : 0;
    const s = std ? std[c] : 1;
    const base = c * HW;
    for (let p = 0, i = c; p < HW; p++, i += C) {
      let v = src[i];
      if (rescale !== null) {
        f32[0] = rescale * v; // float32 store, as `rescale` writes into a Float32Array
        v = f32[0];
      }
      out[base + p] = mean ? (v - m) / s : v;
    }
  }
  return {
    original_size: [srcHeight, srcWidth],
    reshaped_input_size: [H, W],
    pixel_values: new Tensor('float32', out, [C, H, W]),
  };
}

const INSTALLED = Symbol('vlm-fast-preprocess');

/**
 * Gives one image-processor instance (not the class) the fast path, falling back to its original
 * `preprocess` whenever fastPreprocess declines. Idempotent. Used by loadVlm.
 */
export function installFastPreprocess(imageProcessor: unknown): void {
  const proc = imageProcessor as BaseImageProcessor & { [INSTALLED]?: true };
  if (!proc || typeof proc.preprocess !== 'function' || proc[INSTALLED]) return;
  const original = proc.preprocess.bind(proc);
  proc.preprocess = async (image: RawImage, overrides: PreprocessOverrides = {}) =>
    (await fastPreprocess(proc, image, overrides)) ?? original(image, overrides);
  proc[INSTALLED] = true;
}
