/** The low-quality finder: tiny, extreme aspect, near-uniform, very dark/bright, blurry, grayscale-in-colour and unreadable images. */
import type { Suspect } from '../../../shared/finder-types';
import type { Finder } from '../finder';
import { mapLimit } from '../map-limit';
import { PARALLEL_PIPELINES, withManySmallPipelines } from '../sharp-throughput';
import { measureImage, type ImageMetrics } from './image-metrics';
import { GRAYSCALE_COLOURFULNESS, qualityFailures, qualityScore } from './quality-checks';

/** The measures histogrammed in the UI (one value per readable sample, in the order of the samples). */
export const QUALITY_METRICS = ['minSide', 'aspect', 'std', 'mean', 'laplacianVar', 'colourfulness'] as const;

export const qualityFinder: Finder<'quality'> = {
  name: 'quality',
  async run(ctx) {
    let done = 0;
    const measured = await withManySmallPipelines(() => mapLimit(
      ctx.samples,
      PARALLEL_PIPELINES,
      async (s): Promise<ImageMetrics | Error> => {
        const m = await measureImage(s.path).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
        if (++done % 20 === 0) ctx.progress((0.95 * done) / ctx.samples.length, `measured ${done} of ${ctx.samples.length} images`);
        return m;
      },
      ctx.signal,
    ));
    const readable = measured.filter((m): m is ImageMetrics => !(m instanceof Error));
    const colourShare = readable.length ? readable.filter((m) => m.colourfulness >= GRAYSCALE_COLOURFULNESS).length / readable.length : 0;
    const colourDataset = colourShare >= 0.5;
    ctx.stats?.({
      colourDataset,
      metrics: Object.fromEntries(QUALITY_METRICS.map((k) => [k, readable.map((m) => Math.round(m[k] * 100) / 100)])),
    });
    const suspects: Suspect[] = [];
    ctx.samples.forEach((s, i) => {
      const m = measured[i];
      if (m instanceof Error) {
        suspects.push({ sampleId: s.sampleId, score: 10, reason: `unreadable: ${m.message.split('\n')[0].slice(0, 160)}`, group: null, suggestedLabel: null, detail: { checks: ['unreadable'] } });
        return;
      }
      const failures = qualityFailures(m, ctx.options, colourDataset);
      if (failures.length === 0) return;
      suspects.push({
        sampleId: s.sampleId,
        score: qualityScore(failures),
        reason: failures.map((f) => f.text).join('; '),
        group: null,
        suggestedLabel: null,
        detail: { checks: failures.map((f) => f.check), metrics: m },
      });
    });
    return suspects.sort((a, b) => b.score - a.score || a.sampleId - b.sampleId);
  },
};
