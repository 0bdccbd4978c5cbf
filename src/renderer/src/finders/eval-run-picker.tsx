/** The label-errors finder's eval run picker: the dataset's runs, usable ones (scored or classifier, with finished rows) selectable, the rest disabled with why. */
import { useEffect } from 'react';
import type { EvalRun } from '../../../shared/eval-types';
import { useEvalRuns } from '../evals/use-eval-runs';

/** Why a run cannot feed confident learning, or null when it can. */
export function unusableReason(run: EvalRun): string | null {
  if (run.mode === 'raw' || run.mode === 'constrained') return `${run.mode} decoding stores no class probabilities`;
  if (run.doneCount === 0) return run.status === 'queued' || run.status === 'running' ? `no finished rows yet (${run.status})` : `no finished rows (${run.status})`;
  return null;
}

interface EvalRunPickerProps {
  datasetId: number;
  value: number | null;
  onChange: (runId: number | null) => void;
}

export function EvalRunPicker({ datasetId, value, onChange }: EvalRunPickerProps) {
  const runs = useEvalRuns(datasetId);
  const list = runs.runs;
  const firstUsable = list.find((r) => unusableReason(r) === null);
  useEffect(() => {
    if (value === null && firstUsable) onChange(firstUsable.id);
  }, [value, firstUsable, onChange]);

  if (!runs.loaded) return <p className="muted">Loading the dataset’s eval runs…</p>;
  if (list.length === 0) {
    return (
      <p className="error" data-testid="eval-run-none">
        This dataset has no eval runs yet. Run a scored VLM eval or a classifier eval with a class mapping (Evals section) first: the finder ranks
        samples by that run’s out-of-sample class probabilities.
      </p>
    );
  }
  return (
    <fieldset className="eval-run-picker" data-testid="eval-run-picker">
      <legend>Eval run with class probabilities</legend>
      {list.map((run) => {
        const why = unusableReason(run);
        const what = run.mode === 'classifier' ? `classifier · ${run.classMapping ?? 'no mapping'}` : run.mode;
        return (
          <label key={run.id} className={why ? 'eval-run-option disabled' : 'eval-run-option'} title={why ?? undefined} data-testid="eval-run-option" data-run-id={run.id}>
            <input type="radio" name="eval-run" disabled={why !== null} checked={value === run.id} onChange={() => onChange(run.id)} />
            <span>
              <strong>
                #{run.id} {run.name}
              </strong>{' '}
              <span className="muted">
                {run.config.modelName} · {what} · {run.split} split · {run.doneCount}/{run.plannedCount} rows
                {run.metrics ? ` · accuracy ${(run.metrics.accuracy * 100).toFixed(1)}%` : ''}
              </span>
              {why ? <span className="muted eval-run-why"> — not usable: {why}</span> : null}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
