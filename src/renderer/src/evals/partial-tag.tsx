/** The mark on metrics of an unfinished run, so partial numbers are never read as a whole run's. */
import type { EvalMetrics } from '../../../shared/metrics-types';

export function PartialTag({ metrics, testId = 'metrics-partial' }: { metrics: EvalMetrics | null | undefined; testId?: string }) {
  const partial = metrics?.partial;
  if (!partial) return null;
  return (
    <span className="partial-tag" data-testid={testId} title="Metrics over the samples that finished; resume the run to complete them">
      Partial — {partial.done.toLocaleString()} of {partial.planned.toLocaleString()} samples
    </span>
  );
}
