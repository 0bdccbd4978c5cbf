/** A run's status badge: done / running n of m / failed (with its error) / cancelled / interrupted, plus Resume where possible. */
import type { EvalDevice, EvalRun } from '../../../shared/eval-types';
import { isRunLive, runProgress } from './eval-format';

interface RunStatusProps {
  run: EvalRun;
  /** Some eval job is live; without one a 'running' run was interrupted (the app closed or crashed). */
  evalJobLive: boolean;
  onResume: (run: EvalRun, device?: EvalDevice) => void;
}

/** Cancelled, failed and interrupted runs can be resumed (finished rows are kept) unless the model was removed. */
export function canResume(run: EvalRun, evalJobLive: boolean): boolean {
  if (run.modelId === null) return false;
  return run.status === 'cancelled' || run.status === 'failed' || run.status === 'interrupted' || (isRunLive(run) && !evalJobLive);
}

export function RunStatus({ run, evalJobLive, onResume }: RunStatusProps) {
  const interrupted = isRunLive(run) && !evalJobLive;
  const state = interrupted ? 'interrupted' : run.status;
  return (
    <div className="run-status-cell">
      <span className={`run-status status-${state}`} data-testid="run-status" data-status={state}>
        {state === 'running' || state === 'queued' ? `${state} ${runProgress(run)}` : state}
        {state === 'cancelled' || state === 'interrupted' ? ` at ${runProgress(run)}` : ''}
      </span>
      {canResume(run, evalJobLive) ? (
        <button type="button" className="small" data-testid="run-resume" title="Continue from the rows already finished" onClick={() => onResume(run)}>
          Resume
        </button>
      ) : null}
      {run.status === 'failed' && run.device !== 'cpu' && run.modelId !== null ? (
        <button
          type="button"
          className="small"
          data-testid="run-resume-cpu"
          title={`${run.device} could not run this eval; continue on the CPU (finished rows are kept)`}
          onClick={() => onResume(run, 'cpu')}
        >
          Resume on CPU
        </button>
      ) : null}
      {run.status === 'failed' && run.error ? (
        <div className="run-error" data-testid="run-error" title={run.error}>
          {run.error}
        </div>
      ) : null}
    </div>
  );
}
