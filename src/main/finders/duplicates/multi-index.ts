/**
 * Multi-index hashing (Norouzi et al., "Fast Search in Hamming Space with Multi-Index Hashing", CVPR 2012): the 64 bits
 * split into 4 chunks of 16; two hashes within radius r agree within ⌊r/4⌋ bits on at least one chunk (pigeonhole), so
 * each hash only meets the candidates in its chunk buckets' small neighbourhoods — never all pairs. Chosen over a BK-tree
 * because Hamming distances of 64-bit hashes cluster near 32, where a BK-tree with radius 8 still visits most nodes.
 */
import { popcount32, type Hash64 } from './phash';

const CHUNKS = 4;

/**
 * Chunk c holds every 4th bit (c, c+4, …): pHash bits come from DCT frequencies in order, and neighbouring (low)
 * frequencies are correlated, so contiguous 16-bit chunks of real photos pile into few buckets; interleaved ones spread out.
 * Any partition of the 64 bits keeps the pigeonhole guarantee.
 */
function chunkOf(hi: number, lo: number, c: number): number {
  let key = 0;
  for (let k = 0; k < 8; k++) {
    key = (key << 1) | ((hi >>> (31 - c - 4 * k)) & 1);
  }
  for (let k = 0; k < 8; k++) {
    key = (key << 1) | ((lo >>> (31 - c - 4 * k)) & 1);
  }
  return key;
}

/** XOR masks of every 16-bit pattern with at most `radius` bits set (key ^ mask walks a key's neighbourhood). */
function masksWithin(radius: number): Uint16Array {
  const out: number[] = [];
  const walk = (value: number, from: number, left: number): void => {
    out.push(value);
    if (left === 0) return;
    for (let b = from; b < 16; b++) walk(value | (1 << b), b + 1, left - 1);
  };
  walk(0, 0, radius);
  return Uint16Array.from(out);
}

/** One pair within the radius (i < j, indices into the hash list). */
export interface HashPair {
  i: number;
  j: number;
  distance: number;
}

/** All pairs of hashes within `radius` bits, each once; `onProgress` gets the fraction of hashes searched. */
export function pairsWithin(hashes: readonly Hash64[], radius: number, onProgress?: (fraction: number) => void): HashPair[] {
  const sub = Math.floor(radius / CHUNKS);
  const n = hashes.length;
  const his = Uint32Array.from(hashes, (h) => h.hi);
  const los = Uint32Array.from(hashes, (h) => h.lo);
  const keysOf = Array.from({ length: CHUNKS }, (_, c) => Uint16Array.from(hashes, (h) => chunkOf(h.hi, h.lo, c)));
  // Bucket index per chunk: key → hash indices (CSR layout: one offsets array + one flat list).
  const tables = keysOf.map((keys) => {
    const offsets = new Uint32Array(65537);
    for (let i = 0; i < n; i++) offsets[keys[i] + 1]++;
    for (let k = 1; k <= 65536; k++) offsets[k] += offsets[k - 1];
    const fill = offsets.slice(0, 65536);
    const items = new Uint32Array(n);
    for (let i = 0; i < n; i++) items[fill[keys[i]]++] = i;
    return { offsets, items };
  });
  const pairs: HashPair[] = [];
  const seen = new Int32Array(n).fill(-1);
  const masks = masksWithin(sub);
  const step = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < n; i++) {
    const hi = his[i];
    const lo = los[i];
    for (let c = 0; c < CHUNKS; c++) {
      const { offsets, items } = tables[c];
      const own = keysOf[c][i];
      for (let m = 0; m < masks.length; m++) {
        const key = own ^ masks[m];
        for (let p = offsets[key], end = offsets[key + 1]; p < end; p++) {
          const j = items[p];
          if (j <= i || seen[j] === i) continue;
          seen[j] = i;
          const d = popcount32((hi ^ his[j]) >>> 0) + popcount32((lo ^ los[j]) >>> 0);
          if (d <= radius) pairs.push({ i, j, distance: d });
        }
      }
    }
    if (onProgress && i % step === 0) onProgress(i / n);
  }
  return pairs;
}
