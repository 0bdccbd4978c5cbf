/**
 * Finder benchmarks on real photos: perceptual hashing throughput over ≥ 10k files (the shared photos copied with small
 * random crops, brightness changes and flips, so hashes do not collide trivially) and the duplicate search over 100k
 * hashes (the real ones plus bit-flipped variants). `npm run bench:finders` alone, or the tail of `npm run bench`.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { hashSamples } from '../src/main/finders/duplicates/duplicates-finder';
import { groupDuplicates, type HashedSample } from '../src/main/finders/duplicates/group-duplicates';
import { pairsWithin } from '../src/main/finders/duplicates/multi-index';
import { hexToHash, hashToHex } from '../src/main/finders/duplicates/phash';
import { measureImage } from '../src/main/finders/quality/image-metrics';
import { mapLimit } from '../src/main/finders/map-limit';
import { timeAsync, timeIt } from './stats';

const SHARED_ASSETS = resolve(process.env.STUDIO_SHARED_DIR ?? join(import.meta.dirname, '..', '..', 'shared'), 'assets');

function photosUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...photosUnder(p));
    else if (/\.(jpe?g|png)$/i.test(name)) out.push(p);
  }
  return out.sort();
}

/** Deterministic PRNG (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** ≥ count JPEGs under dir, made once (reused while the count matches). */
async function makeVariants(dir: string, count: number, log: (m: string) => void): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const have = readdirSync(dir).filter((f) => f.endsWith('.jpg'));
  if (have.length >= count) return have.sort().slice(0, count).map((f) => join(dir, f));
  const sources = photosUnder(join(SHARED_ASSETS, 'datasets')).filter((p) => statSync(p).size > 2000);
  log(`finders: making ${count} photo variants from ${sources.length} shared photos under ${dir} (once)…`);
  const rand = seeded(11);
  const plans = Array.from({ length: count }, (_, i) => ({ i, src: sources[i % sources.length], r: [rand(), rand(), rand(), rand()] }));
  await mapLimit(plans, 4, async ({ i, src, r }) => {
    const to = join(dir, `v${String(i).padStart(6, '0')}.jpg`);
    if (existsSync(to)) return;
    const img = sharp(src).rotate();
    const { width = 64, height = 64 } = await img.metadata();
    const dx = Math.floor(width * 0.12 * r[0]);
    const dy = Math.floor(height * 0.12 * r[1]);
    let pipe = img.extract({ left: dx, top: dy, width: width - dx, height: height - dy }).modulate({ brightness: 0.85 + 0.3 * r[2] });
    if (r[3] < 0.5) pipe = pipe.flop();
    await pipe.jpeg({ quality: 80 }).toFile(to);
  });
  return plans.map(({ i }) => join(dir, `v${String(i).padStart(6, '0')}.jpg`));
}

export async function benchFinders(dataRoot: string, log: (m: string) => void): Promise<void> {
  const count = Number(process.env.BENCH_FINDER_IMAGES ?? 10_000);
  const files = await makeVariants(join(dataRoot, 'finder-photos'), count, log);
  const samples = files.map((path, i) => ({ sampleId: i + 1, path, originalPath: path, className: i % 2 ? 'a' : 'b', width: null, height: null, sha256: String(i) }));
  const signal = new AbortController().signal;
  // CPU seconds beside wall seconds: on a machine shared with other work, wall time alone says little.
  const cpu0 = process.cpuUsage();
  const hashed = await timeAsync(() => hashSamples(null, samples, signal, () => {}));
  const hashCpu = cpuSeconds(cpu0);
  const rate = samples.length / (hashed.ms / 1000);
  log(
    `pHash: ${samples.length} real photos in ${(hashed.ms / 1000).toFixed(1)} s = ${rate.toFixed(0)} img/s (target ≥ 500 on 2 cores); ` +
      `${hashCpu.toFixed(1)} CPU s = ${(samples.length / hashCpu).toFixed(0)} img per CPU-second; load average ${loadavg()[0].toFixed(1)}; unreadable ${hashed.value.unreadable}`,
  );
  const qualitySlice = samples.slice(0, Math.min(2000, samples.length));
  const quality = await timeAsync(() => mapLimit(qualitySlice, 4, (s) => measureImage(s.path)));
  log(`quality metrics: ${qualitySlice.length} photos in ${(quality.ms / 1000).toFixed(1)} s = ${(qualitySlice.length / (quality.ms / 1000)).toFixed(0)} img/s`);

  // 100k hashes: the real ones plus variants with 4–20 random bits flipped (some within the radius, most not).
  const real = hashed.value.hashed;
  const rand = seeded(5);
  const all: HashedSample[] = [];
  for (let i = 0; all.length < 100_000; i++) {
    const base = real[i % real.length];
    if (i < real.length) {
      all.push(base);
      continue;
    }
    let { hi, lo } = hexToHash(base.phash);
    const flips = 4 + Math.floor(rand() * 17);
    for (let f = 0; f < flips; f++) {
      const bit = Math.floor(rand() * 64);
      if (bit < 32) hi = (hi ^ (1 << bit)) >>> 0;
      else lo = (lo ^ (1 << (bit - 32))) >>> 0;
    }
    all.push({ ...base, sampleId: i + 1, sha256: `x${i}`, phash: hashToHex({ hi, lo }) });
  }
  const hashes = all.map((h) => hexToHash(h.phash));
  for (const radius of [8, 10]) {
    const c0 = process.cpuUsage();
    const search = timeIt(() => pairsWithin(hashes, radius));
    const grouped = timeIt(() => groupDuplicates(all, search.value, radius));
    const searchCpu = cpuSeconds(c0);
    const groups = new Set(grouped.value.map((s) => s.group)).size;
    log(
      `duplicate search: ${all.length} hashes, radius ${radius}: ${search.value.length} pairs in ${(search.ms / 1000).toFixed(2)} s + grouping ${(grouped.ms / 1000).toFixed(2)} s ` +
        `(${searchCpu.toFixed(2)} CPU s; load average ${loadavg()[0].toFixed(1)}) → ${groups} groups (target ≤ 5 s)`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dataRoot = resolve(process.env.BENCH_DIR ?? join(import.meta.dirname, '.data'));
  benchFinders(dataRoot, (m) => console.log(m)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
