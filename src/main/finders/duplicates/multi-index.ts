/**
 * Multi-index hashing (Norouzi et al., "Fast Search in Hamming Space with Multi-Index Hashing", CVPR 2012): the 64 bits
 * split into 4 chunks of 16; two hashes within radius r agree within ⌊r/4⌋ bits on at least one chunk (pigeonhole), so
 * each hash only meets the candidates in its chunk buckets' small neighbourhoods — never all pairs. Chosen over a BK-tree
 * because Hamming distances of 64-bit hashes cluster near 32, where a BK-tree with radius 8 still visits most nodes.
 */
import { hamming, type Hash64 } from './phash';

const CHUNKS = 4;

function chunkOf(h: Hash64, c: number): number {
  switch (c) {
    case 0:
      return h.hi >>> 16;
    case 1:
      return h.hi & 0xffff;
    case 2:
      return h.lo >>> 16;
    default:
      return h.lo & 0xffff;
  }
}

/** Every 16-bit key within `radius` bits of key (the finder's radius ≤ 32 gives at most 8 here). */
function neighbours(key: number, radius: number, out: number[]): void {
  out.length = 0;
  const walk = (value: number, from: number, left: number): void => {
    out.push(value);
    if (left === 0) return;
    for (let b = from; b < 16; b++) walk(value ^ (1 << b), b + 1, left - 1);
  };
  walk(key, 0, radius);
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
  // Bucket index per chunk: key → list of hash indices (CSR layout: one offsets array + one flat list).
  const tables = Array.from({ length: CHUNKS }, (_, c) => {
    const counts = new Uint32Array(65537);
    for (const h of hashes) counts[chunkOf(h, c) + 1]++;
    for (let k = 1; k <= 65536; k++) counts[k] += counts[k - 1];
    const fill = counts.slice(0, 65536);
    const items = new Uint32Array(hashes.length);
    hashes.forEach((h, i) => (items[fill[chunkOf(h, c)]++] = i));
    return { offsets: counts, items };
  });
  const pairs: HashPair[] = [];
  const seen = new Int32Array(hashes.length).fill(-1);
  const keys: number[] = [];
  const step = Math.max(1, Math.floor(hashes.length / 100));
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i];
    for (let c = 0; c < CHUNKS; c++) {
      const { offsets, items } = tables[c];
      neighbours(chunkOf(h, c), sub, keys);
      for (const key of keys) {
        for (let p = offsets[key]; p < offsets[key + 1]; p++) {
          const j = items[p];
          if (j <= i || seen[j] === i) continue;
          seen[j] = i;
          const d = hamming(h, hashes[j]);
          if (d <= radius) pairs.push({ i, j, distance: d });
        }
      }
    }
    if (onProgress && i % step === 0) onProgress(i / hashes.length);
  }
  return pairs;
}
