/** Generates the benchmark's synthetic ImageFolder (small, distinct JPEGs made with sharp), cached between runs. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export const BENCH_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? countFiles(join(dir, e.name)) : 1),
    0,
  );
}

/** Makes `count` 48×48 JPEGs with a per-image gradient + noise pattern so every file hashes differently. */
export async function makeSyntheticDataset(root: string, count: number, log: (m: string) => void): Promise<string> {
  const dir = join(root, `synthetic-${count}`);
  if (countFiles(dir) >= count) return dir;
  for (const c of BENCH_CLASSES) mkdirSync(join(dir, c), { recursive: true });
  const size = 48;
  const started = Date.now();
  const concurrency = 8;
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const i = next++;
      const raw = Buffer.alloc(size * size * 3);
      let seed = (i * 2654435761) >>> 0;
      for (let p = 0; p < raw.length; p++) {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        raw[p] = ((p % (size * 3)) * 2 + (seed >>> 27) + i) & 0xff;
      }
      const jpeg = await sharp(raw, { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
      writeFileSync(join(dir, BENCH_CLASSES[i % BENCH_CLASSES.length], `img-${String(i).padStart(6, '0')}.jpg`), jpeg);
      if (i % 10_000 === 0) log(`  generated ${i}/${count} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return dir;
}
