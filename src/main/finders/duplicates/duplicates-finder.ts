/** The duplicates finder: exact copies (same sha256) and perceptual near-duplicates (pHash within a Hamming radius). */
import { stat } from 'node:fs/promises';
import type { Finder, FinderSample } from '../finder';
import type { Db } from '../../db/open-database';
import { mapLimit } from '../map-limit';
import { PARALLEL_PIPELINES, withManySmallPipelines } from '../sharp-throughput';
import { groupDuplicates, type HashedSample } from './group-duplicates';
import { pairsWithin, type HashPair } from './multi-index';
import { hashToHex, hexToHash, phashFile, type Hash64 } from './phash';

/** Cached hashes by image content (the hash of a stored file never changes); absent table (older schema) = no cache. */
function readCache(db: Db, shas: string[]): Map<string, string> {
  const rows = db
    .prepare('SELECT image_hash AS sha, phash FROM finder_image_hashes WHERE image_hash IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(shas)) as { sha: string; phash: string }[];
  return new Map(rows.map((r) => [r.sha, r.phash]));
}

function writeCache(db: Db, entries: [string, string][]): void {
  const insert = db.prepare('INSERT OR REPLACE INTO finder_image_hashes (image_hash, phash) VALUES (?, ?)');
  db.transaction(() => {
    for (const [sha, phash] of entries) insert.run(sha, phash);
  })();
}

/** pHashes of the samples (cached ones read, the rest computed); unreadable images are skipped (the quality finder reports them). */
export async function hashSamples(
  db: Db | null,
  samples: readonly FinderSample[],
  signal: AbortSignal,
  progress: (value: number, message: string) => void,
): Promise<{ hashed: HashedSample[]; unreadable: number }> {
  const cache = db ? readCache(db, samples.map((s) => s.sha256)) : new Map<string, string>();
  const fresh: [string, string][] = [];
  let done = 0;
  let unreadable = 0;
  const results = await withManySmallPipelines(() => mapLimit(
    samples,
    PARALLEL_PIPELINES,
    async (s): Promise<HashedSample | null> => {
      let hex = cache.get(s.sha256) ?? null;
      if (!hex) {
        try {
          hex = hashToHex(await phashFile(s.path));
          fresh.push([s.sha256, hex]);
        } catch {
          unreadable++;
        }
      }
      if (++done % 25 === 0) progress((0.9 * done) / samples.length, `hashed ${done} of ${samples.length} images`);
      if (!hex) return null;
      const bytes = await stat(s.path).then((st) => st.size, () => 0);
      return { sampleId: s.sampleId, className: s.className, sha256: s.sha256, pixels: (s.width ?? 0) * (s.height ?? 0), bytes, phash: hex };
    },
    signal,
  ));
  if (db && fresh.length > 0) writeCache(db, fresh);
  return { hashed: results.filter((r): r is HashedSample => r !== null), unreadable };
}

/** Pairs within the radius plus exact-content pairs (same sha256 — only possible across imports that bypassed dedup). */
export function duplicatePairs(hashed: readonly HashedSample[], radius: number): HashPair[] {
  const hashes: Hash64[] = hashed.map((h) => hexToHash(h.phash));
  const pairs = pairsWithin(hashes, radius);
  const bySha = new Map<string, number>();
  hashed.forEach((h, i) => {
    const first = bySha.get(h.sha256);
    if (first === undefined) bySha.set(h.sha256, i);
    else pairs.push({ i: first, j: i, distance: 0 });
  });
  return pairs;
}

export const duplicatesFinder: Finder<'duplicates'> = {
  name: 'duplicates',
  async run(ctx) {
    const { hashed } = await hashSamples(ctx.db, ctx.samples, ctx.signal, ctx.progress);
    if (ctx.signal.aborted) throw new Error('cancelled');
    ctx.progress(0.92, `searching ${hashed.length} hashes within radius ${ctx.options.radius}`);
    const pairs = duplicatePairs(hashed, ctx.options.radius);
    return groupDuplicates(hashed, pairs, ctx.options.radius);
  },
};
