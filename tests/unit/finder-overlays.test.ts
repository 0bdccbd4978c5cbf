/** Overlays finder on real photos: text samples rank above pet photos, keyword rules, bad files, cancel. */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOverlaysFinder } from '../../src/main/finders/overlays';
import { asset } from '../support/assets';
import { writeCorruptJpeg, writeDecompressionBomb, writeTextAsJpeg, writeTruncatedJpeg, writeZeroByte } from '../fixtures/bad-files';
import { finderContext, imagesIn, samplesFromFiles } from './helpers/finder-samples';

const finder = createOverlaysFinder({ workers: 2 });
const TEXT_SAMPLES = [
  asset('datasets/cats-vs-dogs-kaggle/bad-samples/dog.4367.jpg'), // YAHOO! MAIL banner
  asset('datasets/cats-vs-dogs-kaggle/bad-samples/cat.4688.jpg'), // Planned Pethood logo
  asset('datasets/bad-samples/adopted-banner.jpg'),
  asset('datasets/bad-samples/adopt-me-card.jpg'),
  asset('datasets/bad-samples/cat-with-adopted-strip.jpg'),
];
// Ordinary pet photos (the first 8 of each Kaggle train class) plus the non-text bad samples.
const PHOTOS = [
  ...imagesIn(asset('datasets/cats-vs-dogs-kaggle/train/cat')).slice(0, 8),
  ...imagesIn(asset('datasets/cats-vs-dogs-kaggle/train/dog')).slice(0, 8),
  asset('datasets/cats-vs-dogs-kaggle/bad-samples/cat.724.jpg'),
  asset('datasets/bad-samples/tiny-lowquality-dog.jpg'),
];
const tmp = mkdtempSync(join(tmpdir(), 'overlays-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 1-based rank of each file in the suspects; files not listed rank after all of them. */
function ranks(files: string[], suspects: { sampleId: number }[]): number[] {
  return files.map((_, i) => {
    const at = suspects.findIndex((s) => s.sampleId === i + 1);
    return at < 0 ? suspects.length + 1 : at + 1;
  });
}

describe('overlays finder', () => {
  it.each([false, true])('ranks every banner/logo/text card above every ordinary photo (ocrAll %s)', async (ocrAll) => {
    const files = [...PHOTOS, ...TEXT_SAMPLES];
    const progress: number[] = [];
    const suspects = await finder.run(finderContext('overlays', samplesFromFiles(files), { ocrAll }, { progress: (v) => progress.push(v) }));
    const r = ranks(files, suspects);
    const textRanks = r.slice(PHOTOS.length);
    const photoRanks = r.slice(0, PHOTOS.length);
    expect(Math.max(...textRanks)).toBeLessThan(Math.min(...photoRanks));
    if (ocrAll) expect(suspects).toHaveLength(files.length);
    else expect(suspects.length).toBeLessThan(files.length); // the prefilter skipped some photos
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const yahoo = suspects.find((s) => s.sampleId === PHOTOS.length + 1)!;
    expect(yahoo.reason).toMatch(/^text: YAHOO! MAIL \(conf \d+\) \[keyword: mail\]$/);
    const words = yahoo.detail.words as { text: string; confidence: number; box: { x0: number; y0: number; x1: number; y1: number } }[];
    expect(words.map((w) => w.text)).toEqual(['YAHOO!', 'MAIL']);
    for (const w of words) {
      expect(w.confidence).toBeGreaterThan(80);
      expect(w.box.x1).toBeGreaterThan(w.box.x0);
      expect(w.box.y1).toBeGreaterThan(w.box.y0);
    }
    // The white-on-orange strip is only legible in the binarized band crop.
    const strip = suspects.find((s) => s.sampleId === PHOTOS.length + 5)!;
    expect(strip.reason).toMatch(/^text: ADOPTED /);
    expect(strip.detail.ocrPass).toBe('bands');
  });

  it('a keyword rule moves its match to the top; without rules no sample gets the keyword bonus', async () => {
    const files = [PHOTOS[0]!, ...TEXT_SAMPLES];
    const plain = await finder.run(finderContext('overlays', samplesFromFiles(files), { keywords: [] }));
    const card = 5; // adopt-me-card.jpg
    expect(plain[0]!.sampleId).not.toBe(card);
    expect(plain.every((s) => (s.detail.keywordHits as string[]).length === 0)).toBe(true);
    const ruled = await finder.run(finderContext('overlays', samplesFromFiles(files), { keywords: ['\\bcall\\b', '[unclosed'] }));
    expect(ruled[0]!.sampleId).toBe(card);
    expect(ruled[0]!.reason).toMatch(/\[keyword: \\bcall\\b\]$/);
    expect(ruled[0]!.score).toBeGreaterThan(ruled[1]!.score + 5);
  });

  it('truncated, empty, non-image, corrupt-header and decompression-bomb files get a per-sample reason; the rest is still ranked', async () => {
    const bad = ['truncated.jpg', 'empty.jpg', 'notes.jpg', 'corrupt.jpg', 'bomb.png'].map((f) => join(tmp, f));
    writeTruncatedJpeg(TEXT_SAMPLES[0]!, bad[0]!);
    writeZeroByte(bad[1]!);
    writeTextAsJpeg(bad[2]!);
    writeCorruptJpeg(TEXT_SAMPLES[0]!, bad[3]!);
    await writeDecompressionBomb(bad[4]!);
    const good = join(tmp, 'good.jpg');
    copyFileSync(TEXT_SAMPLES[2]!, good);
    const files = [...bad, good];
    const suspects = await finder.run(finderContext('overlays', samplesFromFiles(files), {}));
    expect(suspects[0]!.sampleId).toBe(files.length);
    expect(suspects[0]!.reason).toMatch(/^text: ADOPTED/);
    for (const [i, file] of bad.entries()) {
      const s = suspects.find((x) => x.sampleId === i + 1);
      expect(s?.reason, file).toMatch(/^unreadable: \S/);
      expect(s?.score).toBe(0);
    }
    expect(suspects.find((x) => x.sampleId === 5)?.reason).toMatch(/pixel limit/i);
  });

  it('cancel stops it during OCR and during the prefilter', async () => {
    const files = [...TEXT_SAMPLES, ...PHOTOS];
    const ctrl = new AbortController();
    const messages: string[] = [];
    const started = Date.now();
    const run = finder.run(
      finderContext('overlays', samplesFromFiles(files), { ocrAll: true }, {
        signal: ctrl.signal,
        progress: (_v, m) => {
          messages.push(m);
          if (m.startsWith('OCR 1/')) ctrl.abort(new Error('cancelled'));
        },
      }),
    );
    await expect(run).rejects.toThrow('cancelled');
    expect(messages.some((m) => m.startsWith('OCR 3/'))).toBe(false);
    expect(Date.now() - started).toBeLessThan(30_000);

    const early = new AbortController();
    early.abort(new Error('cancelled before start'));
    await expect(finder.run(finderContext('overlays', samplesFromFiles(files), {}, { signal: early.signal }))).rejects.toThrow('cancelled before start');
  });
});
