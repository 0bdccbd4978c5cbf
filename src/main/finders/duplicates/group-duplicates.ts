/** Turns near-duplicate pairs into groups (connected components) and ranks them: cross-class groups first, then tightest. */
import type { Suspect } from '../../../shared/finder-types';
import type { HashPair } from './multi-index';

export interface HashedSample {
  sampleId: number;
  className: string | null;
  sha256: string;
  pixels: number;
  /** File size: between copies of equal pixel count, the larger file is the less recompressed one. */
  bytes: number;
  phash: string;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/** Groups of samples linked by a pair within the radius; exact (same sha256) members count as distance 0. */
export function groupDuplicates(samples: readonly HashedSample[], pairs: readonly HashPair[], radius: number): Suspect[] {
  const parent = Int32Array.from(samples, (_, i) => i);
  const maxDist = new Map<number, number>();
  for (const { i, j } of pairs) {
    const a = find(parent, i);
    const b = find(parent, j);
    if (a !== b) parent[a] = b;
  }
  const members = new Map<number, number[]>();
  samples.forEach((_, i) => {
    const root = find(parent, i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  });
  for (const { i, distance } of pairs) {
    const root = find(parent, i);
    maxDist.set(root, Math.max(maxDist.get(root) ?? 0, distance));
  }
  const groups = [...members.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([root, list]) => {
      const labels = [...new Set(list.map((i) => samples[i].className ?? '(unlabelled)'))];
      const exact = new Set(list.map((i) => samples[i].sha256)).size === 1;
      const dist = exact ? 0 : (maxDist.get(root) ?? 0);
      // Cross-class groups outrank every same-class group; within each, tighter (smaller distance) first.
      const score = (labels.length > 1 ? 1 : 0) + (1 - dist / (radius + 1)) * 0.5 + Math.min(list.length, 10) * 0.001;
      return { list, labels, exact, dist, score };
    })
    .sort((a, b) => b.score - a.score || samples[a.list[0]].sampleId - samples[b.list[0]].sampleId);
  const suspects: Suspect[] = [];
  groups.forEach((g, gi) => {
    // The largest image (then the largest file: least recompressed) is the one to keep by default.
    const better = (a: HashedSample, b: HashedSample): boolean => a.pixels > b.pixels || (a.pixels === b.pixels && a.bytes > b.bytes);
    const keep = g.list.reduce((best, i) => (better(samples[i], samples[best]) ? i : best), g.list[0]);
    const counts = g.labels.map((l) => `${l} ×${g.list.filter((i) => (samples[i].className ?? '(unlabelled)') === l).length}`);
    const kind = g.exact ? 'exact duplicates (same bytes)' : `near-duplicates (pHash distance ≤ ${g.dist})`;
    const reason = `${g.labels.length > 1 ? 'cross-class ' : ''}${kind}: ${counts.join(', ')}`;
    for (const i of [keep, ...g.list.filter((m) => m !== keep)]) {
      const s = samples[i];
      suspects.push({
        sampleId: s.sampleId,
        score: g.score,
        reason,
        group: gi + 1,
        suggestedLabel: null,
        detail: { phash: s.phash, groupSize: g.list.length, labels: g.labels, crossClass: g.labels.length > 1, exact: g.exact, maxDistance: g.dist, keep: i === keep },
      });
    }
  });
  return suspects;
}
