/** The overlays finder: ranks banners, logos, text cards and captions — prefilter every image, OCR the likely ones, score by words read. */
import type { Suspect } from '../../../shared/finder-types';
import type { Finder, FinderContext, FinderSample } from '../finder';
import { createOcrPool, defaultOcrWorkers, type OcrPool, type OcrWord } from './ocr-pool';
import { prefilterLikelihood, textPrefilter, type PrefilterResult } from './text-prefilter';
import { bandInput, fullImageInput, type OcrInput } from './ocr-crops';
import { compileKeywords, overlayReason, overlayScore, textEvidence, type TextEvidence } from './text-evidence';

/** Prefilter likelihood from which an image is OCR'd (≈ 1 in 9 ordinary pet photos pass; every text sample in the Kaggle set does). */
export const OCR_GATE = 0.3;

/** Finder dependencies that tests and the bench replace (pool size). */
export interface OverlaysFinderDeps {
  workers?: number;
}

type Outcome =
  | { kind: 'ok'; prefilter: PrefilterResult; likelihood: number; evidence: TextEvidence | null; pass: 'full' | 'bands' | null }
  | { kind: 'error'; message: string };

/** Makes the finder; the exported `overlaysFinder` uses one OCR worker per CPU. */
export function createOverlaysFinder(deps: OverlaysFinderDeps = {}): Finder<'overlays'> {
  return {
    name: 'overlays',
    async run(ctx) {
      return runOverlays(ctx, deps.workers ?? defaultOcrWorkers());
    },
  };
}

export const overlaysFinder: Finder<'overlays'> = createOverlaysFinder();

async function runOverlays(ctx: FinderContext<'overlays'>, workers: number): Promise<Suspect[]> {
  const { samples, signal } = ctx;
  const keywords = compileKeywords(ctx.options.keywords);
  const outcomes = new Map<number, Outcome>();
  signal.throwIfAborted();
  ctx.progress(0, `Prefiltering ${samples.length} images`);
  let done = 0;
  await mapLimit(samples, workers + 1, signal, async (s) => {
    try {
      const prefilter = await textPrefilter(s.path);
      outcomes.set(s.sampleId, { kind: 'ok', prefilter, likelihood: prefilterLikelihood(prefilter), evidence: null, pass: null });
    } catch (err) {
      outcomes.set(s.sampleId, { kind: 'error', message: errorText(err) });
    }
    done++;
    if (done % 25 === 0) ctx.progress((0.3 * done) / samples.length, `Prefiltered ${done}/${samples.length}`);
  });
  const candidates = samples.filter((s) => {
    const o = outcomes.get(s.sampleId);
    return o?.kind === 'ok' && (ctx.options.ocrAll || o.likelihood >= OCR_GATE);
  });
  ctx.progress(0.3, `OCR on ${candidates.length} of ${samples.length} images`);
  if (candidates.length > 0) {
    const pool = await createOcrPool(Math.min(workers, candidates.length));
    const onAbort = () => void pool.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let ocrDone = 0;
      await mapLimit(candidates, workers * 2, signal, async (s) => {
        const o = outcomes.get(s.sampleId);
        if (o?.kind !== 'ok') return;
        try {
          const best = await ocrSample(pool, s, o.prefilter, keywords, o.likelihood, signal);
          outcomes.set(s.sampleId, { ...o, ...best });
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          outcomes.set(s.sampleId, { kind: 'error', message: `OCR failed: ${errorText(err)}` });
        }
        ocrDone++;
        ctx.progress(0.3 + (0.7 * ocrDone) / candidates.length, `OCR ${ocrDone}/${candidates.length}`);
      });
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!signal.aborted) await pool.close();
    }
  }
  signal.throwIfAborted();
  ctx.progress(1, `OCR ran on ${candidates.length} of ${samples.length} images`);
  return rank(samples, outcomes, candidates.length);
}

/** OCR of the whole image and of each text band the prefilter found; the pass (full, or all bands together) that scores higher wins. */
async function ocrSample(
  pool: OcrPool,
  s: FinderSample,
  prefilter: PrefilterResult,
  keywords: RegExp[],
  likelihood: number,
  signal: AbortSignal,
): Promise<{ evidence: TextEvidence; pass: 'full' | 'bands' }> {
  const { width, height } = prefilter;
  const fullWords = await recognize(pool, await fullImageInput(s.path, width, height), signal);
  let best = { evidence: textEvidence(fullWords, width, height, keywords), pass: 'full' as 'full' | 'bands' };
  if (prefilter.bands.length > 0) {
    const bandWords: OcrWord[] = [];
    for (const band of prefilter.bands) bandWords.push(...(await recognize(pool, await bandInput(s.path, band), signal)));
    const evidence = textEvidence(bandWords, width, height, keywords);
    if (overlayScore(evidence, likelihood) > overlayScore(best.evidence, likelihood)) best = { evidence, pass: 'bands' };
  }
  return best;
}

/** Recognizes one prepared input and maps the word boxes back to original-image pixels. */
async function recognize(pool: OcrPool, input: OcrInput, signal: AbortSignal): Promise<OcrWord[]> {
  const words = await pool.recognize(input.png, signal);
  const map = (v: number, d: number) => Math.round(d + v * input.factor);
  return words.map((w) => ({ ...w, box: { x0: map(w.box.x0, input.dx), y0: map(w.box.y0, input.dy), x1: map(w.box.x1, input.dx), y1: map(w.box.y1, input.dy) } }));
}

/** Suspects = every OCR'd image and every unreadable file, most suspect first (ties: sample order). */
function rank(samples: FinderSample[], outcomes: Map<number, Outcome>, ocrCount: number): Suspect[] {
  const suspects: Suspect[] = [];
  for (const s of samples) {
    const o = outcomes.get(s.sampleId);
    if (!o) continue;
    if (o.kind === 'error') {
      suspects.push({ sampleId: s.sampleId, score: 0, reason: `unreadable: ${o.message}`, group: null, suggestedLabel: null, detail: { error: o.message } });
      continue;
    }
    if (!o.pass) continue;
    const score = overlayScore(o.evidence, o.likelihood);
    suspects.push({
      sampleId: s.sampleId,
      score: Math.round(score * 10_000) / 10_000,
      reason: overlayReason(o.evidence, o.likelihood, true),
      group: null,
      suggestedLabel: null,
      detail: {
        words: o.evidence?.words ?? [],
        keywordHits: o.evidence?.keywordHits ?? [],
        textArea: o.evidence?.weightedArea ?? 0,
        meanConfidence: o.evidence?.meanConfidence ?? 0,
        ocrPass: o.pass,
        prefilter: { likelihood: o.likelihood, textScore: o.prefilter.textScore, runScore: o.prefilter.runScore, region: o.prefilter.region },
        ocrCount,
      },
    });
  }
  return suspects.sort((a, b) => b.score - a.score);
}

/** Runs fn over items with at most `limit` in flight; stops starting new ones once the signal aborts, then rethrows its reason. */
async function mapLimit<T>(items: T[], limit: number, signal: AbortSignal, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      signal.throwIfAborted();
      await fn(items[next++]!);
    }
  });
  await Promise.all(lanes);
  signal.throwIfAborted();
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}
