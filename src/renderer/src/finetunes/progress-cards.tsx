/** Step / epoch progress, ETA, samples/s and the latest losses of one fine-tune, as metric cards (a row without a field shows —: rows come from the trainer's file). */
import type { FinetuneMetricLine } from '../../../shared/finetune-types';
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';
import { etaSeconds, formatDuration, lossText, stepsOf } from './finetune-format';

export function ProgressCards({ ft, rows }: { ft: FinetuneJob; rows: FinetuneMetricLine[] }) {
  const { done, total } = stepsOf(ft, rows);
  const last = rows.at(-1);
  const lastEval = rows.filter((r) => typeof r.eval_loss === 'number').at(-1);
  const live = ft.job.status === 'running' || ft.job.status === 'queued';
  const eta = live ? etaSeconds(ft, rows) : null;
  const fraction = done !== null && total ? Math.min(1, done / total) : null;
  return (
    <div className="ft-progress">
      <div className="ft-progress-bar" aria-hidden="true">
        <div className={`ft-progress-fill status-${ft.job.status}`} style={{ width: `${(fraction ?? 0) * 100}%` }} />
      </div>
      <div className="metric-cards">
        <Card label="Steps" testId="ft-steps" value={`${done ?? '—'} / ${total ?? '—'}`} sub={fraction === null ? '' : `${Math.round(fraction * 100)}%`} />
        <Card label="Epoch" testId="ft-epoch" value={typeof last?.epoch === 'number' ? last.epoch.toFixed(2) : '—'} sub={ft.spec.hyperparams.max_steps > 0 ? `max_steps ${ft.spec.hyperparams.max_steps} sets the length` : `of ${ft.spec.hyperparams.num_train_epochs}`} />
        <Card label="ETA" testId="ft-eta" value={eta === null ? '—' : formatDuration(eta)} sub={live ? 'at the latest speed' : ft.job.status} />
        <Card label="Samples/s" testId="ft-speed" value={typeof last?.samples_per_s === 'number' ? last.samples_per_s.toFixed(2) : '—'} sub={typeof last?.lr === 'number' ? `lr ${last.lr.toExponential(1)}` : ''} />
        <Card label="Train loss" testId="ft-train-loss" value={lossText(last?.train_loss)} sub={rows[0] ? `from ${lossText(rows[0].train_loss)}` : ''} />
        <Card label="Eval loss" testId="ft-eval-loss" value={lossText(lastEval?.eval_loss)} sub={lastEval ? `at step ${lastEval.step}` : 'no eval yet'} />
      </div>
    </div>
  );
}

function Card({ label, value, sub, testId }: { label: string; value: string; sub: string; testId: string }) {
  return (
    <div className="metric-card" data-testid={testId}>
      <div className="metric-label">{label}</div>
      <div className="metric-value">{value}</div>
      <div className="metric-sub">{sub || '\u00a0'}</div>
    </div>
  );
}
