/** Cheap per-image quality measures from one small decode: brightness, contrast, blur (variance of the Laplacian), colourfulness. */
import sharp from 'sharp';

export interface ImageMetrics {
  width: number;
  height: number;
  minSide: number;
  aspect: number;
  /** Mean and standard deviation of the luma (0..255). */
  mean: number;
  std: number;
  /** Variance of the 4-neighbour Laplacian of the luma, measured at ≤ 512 px on the long side (low = blurry). */
  laplacianVar: number;
  /** Mean over pixels of the largest channel difference (0 for a grayscale image). */
  colourfulness: number;
}

const SIDE = 512;

/** Metrics of one image file; throws sharp's error for files it cannot decode (truncated, not an image, too large). */
export async function measureImage(path: string): Promise<ImageMetrics> {
  const img = sharp(path, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate();
  const meta = await img.metadata();
  const { data, info } = await img
    .resize(SIDE, SIDE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const ch = info.channels;
  const luma = new Float32Array(w * h);
  let sum = 0;
  let colour = 0;
  for (let p = 0, q = 0; p < w * h; p++, q += ch) {
    const r = data[q];
    const g = ch >= 3 ? data[q + 1] : r;
    const b = ch >= 3 ? data[q + 2] : r;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    luma[p] = y;
    sum += y;
    colour += Math.max(Math.abs(r - g), Math.abs(g - b), Math.abs(r - b));
  }
  const n = w * h;
  const mean = sum / n;
  let sq = 0;
  for (let p = 0; p < n; p++) sq += (luma[p] - mean) ** 2;
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const p = y * w + x;
      const l = luma[p - 1] + luma[p + 1] + luma[p - w] + luma[p + w] - 4 * luma[p];
      lapSum += l;
      lapSq += l * l;
      count++;
    }
  }
  const lapMean = count ? lapSum / count : 0;
  // Orientation: EXIF 5–8 swap width and height.
  const swap = (meta.orientation ?? 1) >= 5;
  const width = (swap ? meta.height : meta.width) ?? w;
  const height = (swap ? meta.width : meta.height) ?? h;
  return {
    width,
    height,
    minSide: Math.min(width, height),
    aspect: Math.max(width, height) / Math.max(1, Math.min(width, height)),
    mean,
    std: Math.sqrt(sq / n),
    laplacianVar: count ? lapSq / count - lapMean * lapMean : 0,
    colourfulness: colour / n,
  };
}
