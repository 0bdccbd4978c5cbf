/** Turns OCR words into a suspect score: real words (confident, mostly letters) weighted by area × confidence, keyword rules on top. */
import type { OcrWord } from './ocr-pool';

/** Below this confidence tesseract's "words" on fur, cages and foliage are noise. */
export const MIN_WORD_CONFIDENCE = 70;
/** A keyword match outranks any score without one. */
export const KEYWORD_BONUS = 10;

/** Compiles the user's keyword rules (case-insensitive regexes); a rule that is not a valid regex is matched literally. */
export function compileKeywords(keywords: readonly string[]): RegExp[] {
  return keywords.map((k) => {
    try {
      return new RegExp(k, 'i');
    } catch {
      return new RegExp(k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    }
  });
}

/** A word counts when tesseract is confident and it has ≥ 3 letters/digits making up most of it (not "|", "al", "XX]"). */
export function isRealWord(word: OcrWord): boolean {
  if (word.confidence < MIN_WORD_CONFIDENCE) return false;
  const text = word.text.trim();
  const alnum = text.replace(/[^\p{L}\p{N}]/gu, '');
  return alnum.length >= 3 && alnum.length / text.length >= 0.6 && /\p{L}/u.test(alnum);
}

export interface TextEvidence {
  /** Every confident word, in reading order, when one is a real word or a keyword matched (what the tile shows); else empty. */
  words: OcrWord[];
  /** Σ(word box area × confidence/100) / image area. */
  weightedArea: number;
  meanConfidence: number;
  keywordHits: string[];
  /** 0–1 from the words alone; see overlayScore for the full ranking score. */
  ocrScore: number;
}

/** Scores the real words of one image (width × height in the same pixels as the boxes). */
export function textEvidence(all: OcrWord[], width: number, height: number, keywords: RegExp[]): TextEvidence {
  const real = all.filter(isRealWord);
  const confident = all.filter((w) => w.confidence >= MIN_WORD_CONFIDENCE && /[\p{L}\p{N}]/u.test(w.text));
  const area = Math.max(1, width * height);
  let weighted = 0;
  for (const w of real) {
    const boxArea = Math.max(0, w.box.x1 - w.box.x0) * Math.max(0, w.box.y1 - w.box.y0);
    weighted += (boxArea * w.confidence) / 100;
  }
  const weightedArea = weighted / area;
  const text = confident.map((w) => w.text).join(' ');
  // Keywords are tested on each confident word and on their whole line, so "adopt me" spanning words matches.
  const keywordHits = keywords.filter((k) => confident.some((w) => k.test(w.text)) || k.test(text)).map((k) => k.source);
  const words = real.length > 0 || keywordHits.length > 0 ? confident : [];
  return {
    words,
    weightedArea,
    meanConfidence: words.length ? words.reduce((sum, w) => sum + w.confidence, 0) / words.length : 0,
    keywordHits,
    // sqrt: a caption covering 4% of the image is already strong evidence; saturates at 25%.
    ocrScore: Math.min(1, 2 * Math.sqrt(weightedArea)),
  };
}

/** Ranking score: keyword hits first, then OCR evidence, then the prefilter's likelihood (graphic logos OCR cannot read). */
export function overlayScore(evidence: TextEvidence | null, prefilter: number): number {
  const ocr = evidence?.ocrScore ?? 0;
  const keyword = evidence && evidence.keywordHits.length > 0 ? KEYWORD_BONUS : 0;
  return keyword + 0.7 * ocr + 0.3 * prefilter;
}

/** The tile's one-line reason: `text: YAHOO! MAIL (conf 94)`, or the prefilter's verdict when no word was read. */
export function overlayReason(evidence: TextEvidence | null, prefilter: number, ocrRan: boolean): string {
  if (evidence && evidence.words.length > 0) {
    const shown = evidence.words.map((w) => w.text).join(' ');
    const clipped = shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
    const hits = evidence.keywordHits.length ? ` [keyword: ${evidence.keywordHits.join(', ')}]` : '';
    return `text: ${clipped} (conf ${Math.round(evidence.meanConfidence)})${hits}`;
  }
  const likely = `text-like graphics ${(prefilter * 100).toFixed(0)}%`;
  return ocrRan ? `${likely}, no words read` : `${likely}, not OCR'd`;
}
