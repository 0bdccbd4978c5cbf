/** Issue 9's measurement: on the whole Kaggle cats-vs-dogs sample plus the made-up bad samples (807 images), every banner/logo/text card is in the overlay finder's top 16. */
import { expect, it } from 'vitest';
import { createOverlaysFinder } from '../../src/main/finders/overlays';
import { asset } from '../support/assets';
import { finderContext, imagesIn, samplesFromFiles } from './helpers/finder-samples';

const KAGGLE = 'datasets/cats-vs-dogs-kaggle';
const TEXT_SAMPLES = [
  `${KAGGLE}/bad-samples/dog.4367.jpg`, // "YAHOO! MAIL" banner
  `${KAGGLE}/bad-samples/cat.4688.jpg`, // "Planned Pethood" logo
  'datasets/bad-samples/adopted-banner.jpg',
  'datasets/bad-samples/adopt-me-card.jpg',
  'datasets/bad-samples/cat-with-adopted-strip.jpg',
].map((p) => asset(p));

it('ranks every banner/logo/text-card sample of the 807-image Kaggle set in the top 16, OCR-ing under a quarter of the images', { timeout: 900_000 }, async () => {
  const dirs = ['train/cat', 'train/dog', 'test/cat', 'test/dog', 'bad-samples'].map((d) => asset(KAGGLE, d));
  const files = [...dirs.flatMap(imagesIn), ...imagesIn(asset('datasets/bad-samples'))];
  expect(files.length).toBe(807);
  let ocrMessage = '';
  const started = Date.now();
  const suspects = await createOverlaysFinder().run(
    finderContext('overlays', samplesFromFiles(files), {}, { progress: (_v, m) => void (m.startsWith('OCR ran') && (ocrMessage = m)) }),
  );
  const seconds = (Date.now() - started) / 1000;
  const ranks = TEXT_SAMPLES.map((f) => suspects.findIndex((s) => s.sampleId === files.indexOf(f) + 1) + 1);
  const ocrCount = Number(/OCR ran on (\d+) of/.exec(ocrMessage)?.[1]);
  // Figures for the issue's closing note (not asserted: timing depends on the shared machine).
  console.log(`overlays on ${files.length} images: ranks ${TEXT_SAMPLES.map((f, i) => `${f.split('/').at(-1)}=${ranks[i]}`).join(', ')}; OCR ran on ${ocrCount}; ${seconds.toFixed(1)} s`);
  console.log(suspects.slice(0, 16).map((s, i) => `${i + 1}. ${files[s.sampleId - 1]!.split('/').slice(-2).join('/')} ${s.score} ${s.reason}`).join('\n'));
  for (const [i, rank] of ranks.entries()) expect(rank, TEXT_SAMPLES[i]).toBeGreaterThan(0);
  for (const [i, rank] of ranks.entries()) expect(rank, TEXT_SAMPLES[i]).toBeLessThanOrEqual(16);
  expect(ocrCount).toBeGreaterThan(0);
  expect(ocrCount).toBeLessThan(files.length / 4);
});
