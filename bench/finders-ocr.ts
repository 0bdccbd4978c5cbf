/**
 * Overlays finder throughput on real photos (the Kaggle cats-vs-dogs sample in ../shared/assets, not synthetic gradients):
 * prefilter alone, the finder with the prefilter gating OCR, and OCR on every image (ocrAll); figures only.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createOverlaysFinder } from '../src/main/finders/overlays';
import { textPrefilter } from '../src/main/finders/overlays/text-prefilter';
import { defaultOcrWorkers } from '../src/main/finders/overlays/ocr-pool';
import type { FinderSample } from '../src/main/finders/finder';
import { finderOptionSchemas } from '../src/shared/finder-types';
import { timeAsync } from './stats';

const SHARED = resolve(process.env.STUDIO_SHARED_DIR ?? join(import.meta.dirname, '..', '..', 'shared'));

/** The first `count` Kaggle photos (train and test, cats and dogs interleaved by folder). */
function realPhotos(count: number): FinderSample[] {
  const root = join(SHARED, 'assets', 'datasets', 'cats-vs-dogs-kaggle');
  const files = ['train/cat', 'train/dog', 'test/cat', 'test/dog'].flatMap((d) => readdirSync(join(root, d)).sort().map((f) => join(root, d, f)));
  const step = Math.max(1, Math.floor(files.length / count));
  return files
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((path, i) => ({ sampleId: i + 1, path, originalPath: path, className: null, width: null, height: null, sha256: '' }));
}

/** Runs the three measurements on BENCH_OCR_IMAGES photos (default 200) and logs images/s for each. */
export async function benchFindersOcr(log: (m: string) => void): Promise<void> {
  const samples = realPhotos(Number(process.env.BENCH_OCR_IMAGES ?? 200));
  const workers = defaultOcrWorkers();
  log(`overlays finder (OCR) on ${samples.length} real photos, ${workers} tesseract workers:`);
  const pre = await timeAsync(async () => {
    for (let i = 0; i < samples.length; i += workers + 1) await Promise.all(samples.slice(i, i + workers + 1).map((s) => textPrefilter(s.path)));
  });
  log(`  prefilter alone: ${(samples.length / (pre.ms / 1000)).toFixed(1)} img/s`);
  for (const ocrAll of [false, true]) {
    let ocrCount = 0;
    const run = await timeAsync(() =>
      createOverlaysFinder({ workers }).run({
        db: null as never, // the overlays finder reads files only
        workspaceRoot: '',
        datasetId: 0,
        samples,
        options: finderOptionSchemas.overlays.parse({ ocrAll }),
        signal: new AbortController().signal,
        progress: (_v, m) => {
          const n = /^OCR ran on (\d+) of/.exec(m);
          if (n) ocrCount = Number(n[1]);
        },
      }),
    );
    const label = ocrAll ? 'OCR every image (ocrAll)' : 'with the prefilter     ';
    log(`  ${label}: ${(samples.length / (run.ms / 1000)).toFixed(1)} img/s overall, OCR ran on ${ocrCount}/${samples.length} (${(ocrCount / (run.ms / 1000)).toFixed(1)} OCR'd img/s)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  benchFindersOcr((m) => console.log(m)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
