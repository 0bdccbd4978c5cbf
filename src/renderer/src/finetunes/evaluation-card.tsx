/** The fine-tune's automatic evaluation: baseline and fine-tuned runs side by side, and the way into their comparison (opened by itself once when it finishes here). */
import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { EvalRun } from '../../../shared/eval-types';
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';
import { queryKeys } from '../data/query-keys';
import { deltaPp, modeLabel, pct, runProgress } from '../evals/eval-format';
import { useStudio } from '../state/studio-context';

const UNFINISHED = ['pending', 'baseline', 'finetuned'];

/** One run from the eval query cache (refreshed by eval job events); nothing while the id is not known yet. */
function useRun(runId: number | null): EvalRun | null {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: queryKeys.evalRun(runId ?? 0),
    queryFn: () => api.evals.get({ runId: runId as number }),
    enabled: runId !== null,
    meta: { errorContext: 'Loading the evaluation run' },
  });
  return runId === null ? null : (query.data ?? null);
}

interface EvaluationCardProps {
  ft: FinetuneJob;
  onOpenCompare: (baselineRunId: number, finetunedRunId: number, datasetId: number) => void;
}

export function EvaluationCard({ ft, onOpenCompare }: EvaluationCardProps) {
  const ev = ft.evaluation;
  const baseline = useRun(ev?.baselineRunId ?? null);
  const finetuned = useRun(ev?.finetunedRunId ?? null);
  const live = ft.job.status === 'queued' || ft.job.status === 'running';
  const state = ev?.state ?? (!ft.spec.evaluate.enabled ? 'off' : live ? 'waiting' : 'none');
  const canCompare = baseline !== null && finetuned !== null;

  // Opens the comparison by itself once, when the evaluation finishes while this page is open.
  const sawUnfinished = useRef(false);
  const opened = useRef(false);
  useEffect(() => {
    if (state === 'waiting' || UNFINISHED.includes(state)) sawUnfinished.current = true;
    if (state === 'done' && sawUnfinished.current && !opened.current && baseline && finetuned) {
      opened.current = true;
      onOpenCompare(baseline.id, finetuned.id, baseline.datasetId);
    }
  }, [state, baseline, finetuned, onOpenCompare]);

  return (
    <section className="panel-card ft-evaluation" data-testid="ft-evaluation" data-state={state}>
      <div className="panel-title-row">
        <h3>Evaluation</h3>
        <span className={`ft-eval-state state-${state}`} data-testid="ft-evaluation-state">
          {stateLabel(state)}
        </span>
        <button
          type="button"
          className="primary"
          data-testid="ft-open-comparison"
          disabled={!canCompare}
          onClick={() => baseline && finetuned && onOpenCompare(baseline.id, finetuned.id, baseline.datasetId)}
        >
          Open comparison
        </button>
      </div>
      {state === 'off' ? <p className="muted empty-line">Evaluation is off for this fine-tune (evaluate.enabled: false).</p> : null}
      {state === 'none' ? <p className="muted empty-line">Not evaluated: the fine-tune ended {ft.job.status} before an evaluation started.</p> : null}
      {state === 'waiting' ? <p className="muted empty-line">Once the model is registered, the base and the fine-tune are evaluated on the same samples with the same prompt.</p> : null}
      {ev?.error ? (
        <div className={ev.state === 'skipped' ? 'muted empty-line' : 'ft-error'} data-testid="ft-evaluation-error">
          {ev.error}
        </div>
      ) : null}
      {ev ? (
        <div className="ft-eval-sides">
          <RunSide role="Baseline" testId="ft-eval-baseline" run={baseline} pending={ev.baselineRunId === null} hint={ft.spec.evaluate.baselineRunId !== null ? 'the run named in the spec' : (ft.baseModelName ?? 'the base model')} />
          <RunSide role="Fine-tuned" testId="ft-eval-finetuned" run={finetuned} pending={ev.finetunedRunId === null} hint={ft.model?.name ?? 'the fine-tuned model'} against={baseline} />
        </div>
      ) : null}
    </section>
  );
}

function stateLabel(state: string): string {
  switch (state) {
    case 'pending':
      return 'starting';
    case 'baseline':
      return 'evaluating the base';
    case 'finetuned':
      return 'evaluating the fine-tune';
    case 'waiting':
      return 'after registering';
    case 'none':
      return 'not evaluated';
    default:
      return state;
  }
}

interface RunSideProps {
  role: string;
  testId: string;
  run: EvalRun | null;
  pending: boolean;
  hint: string;
  against?: EvalRun | null;
}

function RunSide({ role, testId, run, pending, hint, against }: RunSideProps) {
  const m = run?.metrics ?? null;
  const ref = against?.metrics ?? null;
  const progress = run && run.plannedCount > 0 ? run.doneCount / run.plannedCount : 0;
  return (
    <div className="ft-eval-side" data-testid={testId} data-status={run?.status ?? 'none'}>
      <div className="ft-eval-role">{role}</div>
      {run ? (
        <>
          <div className="ft-eval-run" title={run.name}>
            #{run.id} {run.config.modelName}
          </div>
          <div className="muted small">
            {modeLabel(run.mode)} · {run.config.versionName}/{run.split} · {run.status} · {runProgress(run)}
          </div>
          <div className="ft-progress-bar">
            <div className={`ft-progress-fill status-${run.status === 'done' ? 'done' : run.status === 'failed' ? 'failed' : 'running'}`} style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
          <dl className="ft-eval-metrics">
            <div>
              <dt>Accuracy</dt>
              <dd data-testid={`${testId}-accuracy`}>
                {pct(m?.accuracy)} {ref ? <span className="delta">{deltaPp(ref.accuracy, m?.accuracy)}</span> : null}
              </dd>
            </div>
            <div>
              <dt>Balanced accuracy</dt>
              <dd data-testid={`${testId}-balanced`}>
                {pct(m?.balancedAccuracy)} {ref ? <span className="delta">{deltaPp(ref.balancedAccuracy, m?.balancedAccuracy)}</span> : null}
              </dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="muted">{pending ? `Not created yet: ${hint}` : 'Loading…'}</p>
      )}
    </div>
  );
}
