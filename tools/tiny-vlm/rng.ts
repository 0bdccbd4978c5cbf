/** Seeded pseudo-random numbers so a tiny model generated twice from one seed is byte-identical. */
import { mulberry32 } from '../../src/main/splits/seeded-rng';

/** The studio's mulberry32 (src/main/splits/seeded-rng.ts): floats in [0, 1). */
export const createRng = mulberry32;

/** Standard normal samples (Box-Muller) scaled by `std`, as float32. */
export function normalArray(rng: () => number, count: number, std: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = Math.max(rng(), 1e-12);
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v) * std;
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v) * std;
  }
  return out;
}

/** Derives an independent stream seed from a base seed and a label (FNV-1a over the label). */
export function subSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
