/** The overlays finder's cheap parts on real images: the text prefilter (gate and text bands) and the word/keyword scoring. */
import { describe, expect, it } from 'vitest';
import { OCR_GATE } from '../../src/main/finders/overlays';
import { prefilterLikelihood, textPrefilter } from '../../src/main/finders/overlays/text-prefilter';
import { compileKeywords, isRealWord, textEvidence } from '../../src/main/finders/overlays/text-evidence';
import { asset } from '../support/assets';
import { imagesIn } from './helpers/finder-samples';

const word = (text: string, confidence: number, x0 = 0, y0 = 0, x1 = 10, y1 = 10) => ({ text, confidence, box: { x0, y0, x1, y1 } });

describe('text prefilter', () => {
  it('passes the banner, the logo and the strip through the OCR gate, and most pet photos not', async () => {
    for (const f of ['cats-vs-dogs-kaggle/bad-samples/dog.4367.jpg', 'cats-vs-dogs-kaggle/bad-samples/cat.4688.jpg', 'bad-samples/cat-with-adopted-strip.jpg']) {
      expect(prefilterLikelihood(await textPrefilter(asset('datasets', f))), f).toBeGreaterThanOrEqual(OCR_GATE);
    }
    const photos = imagesIn(asset('datasets/cats-vs-dogs-kaggle/test/dog')).slice(0, 40);
    let passed = 0;
    for (const f of photos) if (prefilterLikelihood(await textPrefilter(f)) >= OCR_GATE) passed++;
    expect(passed).toBeLessThanOrEqual(photos.length / 4);
  });

  it('finds the ADOPTED strip as a text band across the photo (rows ~200–265 of 335)', async () => {
    const p = await textPrefilter(asset('datasets/bad-samples/cat-with-adopted-strip.jpg'));
    expect(p.width).toBe(500);
    const strip = p.bands.find((b) => b.top <= 205 && b.top + b.height >= 260);
    expect(strip, JSON.stringify(p.bands)).toBeDefined();
    expect(strip!.width).toBeGreaterThan(250);
    expect(strip!.height).toBeLessThan(120);
  });

  it('rejects an undecodable file with sharp’s error', async () => {
    await expect(textPrefilter(Buffer.from('not an image'))).rejects.toThrow();
  });
});

describe('text evidence', () => {
  it('counts confident words of ≥ 3 letters/digits, not fur noise', () => {
    expect(isRealWord(word('YAHOO!', 93))).toBe(true);
    expect(isRealWord(word('MAIL', 95))).toBe(true);
    expect(isRealWord(word('al', 90))).toBe(false);
    expect(isRealWord(word('XX]', 91))).toBe(false);
    expect(isRealWord(word('Pethood', 40))).toBe(false);
    expect(isRealWord(word('555', 95))).toBe(false); // digits only: a number is not a caption
    expect(isRealWord(word('—|)', 99))).toBe(false);
  });

  it('scores area × confidence and matches keywords case-insensitively, across words too; a bad regex is taken literally', () => {
    const keywords = compileKeywords(['adopt', 'https?://', 'adopt me', '(unclosed']);
    const small = textEvidence([word('Adopted', 90, 0, 0, 10, 10)], 100, 100, keywords);
    const big = textEvidence([word('Adopted', 90, 0, 0, 50, 50)], 100, 100, keywords);
    expect(big.ocrScore).toBeGreaterThan(small.ocrScore);
    expect(big.weightedArea).toBeCloseTo(0.225, 5);
    expect(small.keywordHits).toEqual(['adopt']);
    const card = textEvidence([word('ADOPT', 90), word('ME!', 90), word('(unclosed', 90)], 100, 100, keywords);
    expect(card.keywordHits).toEqual(['adopt', 'adopt me', '\\(unclosed']);
  });
});
