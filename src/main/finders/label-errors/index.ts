/** The label-errors finder: ranks samples whose label an eval run's out-of-sample probabilities contradict (confident learning). */
import type { Suspect } from '../../../shared/finder-types';
import type { Finder } from '../finder';
import { findLabelIssues } from './confident-learning';
import { loadRunProbabilities } from './run-probabilities';

const fmt = (p: number): string => p.toFixed(3);

/** Confident learning (Northcutt, Jiang, Chuang, JAIR 2021) over a scored or classifier eval run of the dataset. */
export const labelErrorsFinder: Finder<'label-errors'> = {
  name: 'label-errors',
  async run(ctx) {
    ctx.signal.throwIfAborted();
    ctx.progress(0, 'Reading the eval run’s probabilities');
    const { run, labels, scored, skipped } = loadRunProbabilities(ctx.db, ctx.options.runId, ctx.datasetId, ctx.samples);
    ctx.signal.throwIfAborted();
    ctx.progress(0.5, `Confident learning over ${scored.length} samples`);
    const result = findLabelIssues(
      scored.map((s) => ({ label: s.label, probs: s.probs })),
      labels.length,
    );
    const suspects: Suspect[] = result.issues.map((issue) => {
      const s = scored[issue.index];
      const given = labels[s.label];
      const suggested = labels[issue.suggested];
      return {
        sampleId: s.sample.sampleId,
        score: 1 - issue.selfConfidence,
        reason: `labelled ${given}, looks like ${suggested} (p ${fmt(s.probs[issue.suggested])}); self-confidence ${fmt(issue.selfConfidence)}`,
        group: null,
        suggestedLabel: suggested,
        detail: {
          runId: run.id,
          givenLabel: given,
          selfConfidence: issue.selfConfidence,
          threshold: result.thresholds[s.label],
          probabilities: Object.fromEntries(labels.map((l, k) => [l, s.probs[k]])),
        },
      };
    });
    const skippedCount = Object.values(skipped).reduce((a, b) => a + b, 0);
    ctx.progress(1, `${suspects.length} likely label errors among ${scored.length} samples` + (skippedCount > 0 ? ` (${skippedCount} run rows not used)` : ''));
    return suspects;
  },
};
