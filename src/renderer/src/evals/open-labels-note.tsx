/** Dashboard line for open-label-set runs: how many candidates were offered for how many classes, and how often the answer fell outside them. */
import type { EvalRun } from '../../../shared/eval-types';
import type { EvalMetrics } from '../../../shared/metrics-types';
import { pct } from './eval-format';

export function OpenLabelsNote({ run, metrics }: { run: EvalRun; metrics: EvalMetrics }) {
  if (run.labels.length === run.truthLabels.length) return null;
  const outside = metrics.outsideTruthCount ?? 0;
  return (
    <p className="muted small open-labels-note" data-testid="open-labels-note">
      {run.labels.length} candidate labels offered for {run.truthLabels.length} classes
      {run.abstainLabel ? ` (“${run.abstainLabel}” = abstain)` : ''}: {outside} of {metrics.n} answers ({pct(outside / metrics.n)}) named a candidate
      outside the classes — the columns after the classes, counted as wrong.
    </p>
  );
}
