/**
 * 64-bit perceptual hash (pHash): the sign of the 8×8 lowest DCT frequencies of a 32×32 grayscale image, against
 * their median. Chosen over dHash because low DCT frequencies barely move under resizing, JPEG recompression and
 * light cropping (a 5% crop shifts the gradients dHash compares pixel by pixel far more than it shifts the overall
 * luminance layout the DCT captures); the 32×32 resize + one 2-D DCT costs little next to decoding the JPEG.
 */
import sharp from 'sharp';

/** A 64-bit hash as two unsigned 32-bit halves (cheap popcount, no BigInt). */
export interface Hash64 {
  hi: number;
  lo: number;
}

const N = 32;
const K = 8;
/** cos((2x+1)uπ/2N) for u < K, x < N: the only DCT rows the hash needs. */
const COS: Float64Array = (() => {
  const t = new Float64Array(K * N);
  for (let u = 0; u < K; u++) for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return t;
})();

/** The hash of 32×32 grayscale pixels (row-major, 1024 bytes). */
export function phashOfPixels(px: Uint8Array | Buffer): Hash64 {
  if (px.length !== N * N) throw new Error(`phash needs ${N * N} grayscale pixels, got ${px.length}`);
  // Separable DCT: rows first (N×K), then columns (K×K).
  const rows = new Float64Array(N * K);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += px[y * N + x] * COS[u * N + x];
      rows[y * K + u] = s;
    }
  }
  const coef = new Float64Array(K * K);
  for (let v = 0; v < K; v++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * K + u] * COS[v * N + y];
      coef[v * K + u] = s;
    }
  }
  // Median of the 63 AC terms (the DC term only says how bright the image is).
  const ac = Array.from(coef.subarray(1)).sort((a, b) => a - b);
  const median = ac[Math.floor(ac.length / 2)];
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 64; i++) {
    if (coef[i] > median) {
      if (i < 32) hi |= 1 << (31 - i);
      else lo |= 1 << (63 - i);
    }
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** pHash of an image file (any format sharp reads; EXIF orientation applied, so a rotated copy hashes like the photo). */
export async function phashFile(path: string): Promise<Hash64> {
  const px = await sharp(path, { failOn: 'error', limitInputPixels: 100_000_000 })
    .rotate()
    .grayscale()
    .resize(N, N, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return phashOfPixels(px);
}

/** Bits set in a 32-bit integer. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function hamming(a: Hash64, b: Hash64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

export function hashToHex(h: Hash64): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');
}

export function hexToHash(hex: string): Hash64 {
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`not a 64-bit hex hash: ${hex}`);
  return { hi: parseInt(hex.slice(0, 8), 16) >>> 0, lo: parseInt(hex.slice(8), 16) >>> 0 };
}
