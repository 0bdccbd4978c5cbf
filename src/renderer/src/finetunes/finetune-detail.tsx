/** One fine-tune's monitor: phase track, progress, the base-vs-fine-tuned evaluation, the loss curves, the train.log tail, Cancel while live, Resume from the last checkpoint once stopped (on the same or another backend), the model once done. */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { EvaluationCard } from './evaluation-card';
import { baseLabel, snapshotLabel } from './finetune-format';
import { LogTailView } from './log-tail';
import { LossChart } from './loss-chart';
import { ProgressCards } from './progress-cards';
import { resumeBackend, ResumeBackendSelect } from './resume-backend-select';
import { StateTrack } from './state-track';
import { isLiveFinetune, useFinetune, useFinetuneLog, useFinetuneMetrics } from './use-finetunes';

interface FinetuneDetailProps {
  jobId: string;
  onBack: () => void;
  onOpenModel: () => void;
  /** Opens another job's monitor (the one a resume started). */
  onOpenJob: (jobId: string) => void;
  /** Opens the Evals comparison of the baseline (A) and fine-tuned (B) runs. */
  onOpenCompare: (baselineRunId: number, finetunedRunId: number, datasetId: number) => void;
}

export function FinetuneDetail({ jobId, onBack, onOpenModel, onOpenJob, onOpenCompare }: FinetuneDetailProps) {
  const ft = useFinetune(jobId);
  const live = isLiveFinetune(ft);
  const rows = useFinetuneMetrics(jobId, live);
  const log = useFinetuneLog(jobId, live);
  return (
    <div className="page" data-testid="finetune-detail" data-job-id={jobId}>
      <header className="page-header">
        <div>
          <button type="button" className="link" data-testid="finetune-back" onClick={onBack}>
            ← All fine-tunes
          </button>
          <h1>{ft ? (ft.spec.outputName ?? `${baseLabel(ft)} fine-tune`) : 'Fine-tune'}</h1>
          <span className="muted mono">{jobId}</span>
        </div>
        {ft ? <DetailActions ft={ft} onOpenModel={onOpenModel} onOpenJob={onOpenJob} /> : null}
      </header>
      {ft ? (
        <div className="page-body">
          <section className="panel-card">
            <dl className="run-facts">
              <Fact label="Base model" value={baseLabel(ft)} />
              <Fact label="Snapshot" value={snapshotLabel(ft)} />
              <Fact label="LoRA" value={`r ${ft.spec.hyperparams.lora_r} · α ${ft.spec.hyperparams.lora_alpha}`} />
              <Fact label="Learning rate" value={String(ft.spec.hyperparams.learning_rate)} />
              <Fact label="Batch" value={`${ft.spec.hyperparams.batch_size} × ${ft.spec.hyperparams.gradient_accumulation_steps} accum.`} />
            </dl>
            <StateTrack ft={ft} />
            {/* What the pipeline is doing between training steps (uploading N / M bytes, fetching, registering), so no phase looks stalled; steps have their cards. */}
            {live && ft.job.message && !/^step \d/.test(ft.job.message) ? (
              <p className="muted small" data-testid="finetune-activity">
                {ft.job.message}
              </p>
            ) : null}
            {ft.job.error ? (
              <div className="ft-error" data-testid="finetune-error">
                {ft.job.error}
              </div>
            ) : null}
          </section>
          <ProgressCards ft={ft} rows={rows ?? []} />
          <EvaluationCard ft={ft} onOpenCompare={onOpenCompare} />
          <section className="panel-card">
            <div className="panel-title-row">
              <h3>Loss</h3>
              <span className="muted small">{rows ? `${rows.length} logged steps` : 'reading metrics…'}</span>
            </div>
            {rows && rows.length > 0 ? <LossChart rows={rows} /> : <p className="muted empty-line">No metrics yet: the curve starts at the trainer's first logged step.</p>}
          </section>
          <LogTailView log={log} />
        </div>
      ) : null}
    </div>
  );
}

function DetailActions({ ft, onOpenModel, onOpenJob }: { ft: FinetuneJob; onOpenModel: () => void; onOpenJob: (jobId: string) => void }) {
  const { api, reportError } = useStudio();
  const client = useQueryClient();
  const [target, setTarget] = useState('same');
  const cancel = async () => {
    try {
      await api.jobs.cancel({ jobId: ft.job.id });
    } catch (error) {
      reportError('Cancelling the fine-tune', error);
    }
    await client.invalidateQueries({ queryKey: queryKeys.finetunes });
  };
  const resume = async () => {
    try {
      const backend = resumeBackend(target, ft.spec.backend);
      const { jobId } = await api.finetunes.resume(backend ? { jobId: ft.job.id, backend } : { jobId: ft.job.id });
      await client.invalidateQueries({ queryKey: queryKeys.finetunes });
      onOpenJob(jobId);
    } catch (error) {
      reportError('Resuming the fine-tune', error);
    }
  };
  return (
    <div className="row-actions">
      {isLiveFinetune(ft) ? (
        <button type="button" className="danger" data-testid="finetune-cancel" onClick={() => void cancel()}>
          Cancel fine-tune
        </button>
      ) : null}
      {ft.resumableStep !== null ? <ResumeBackendSelect previous={ft.spec.backend} value={target} onChange={setTarget} /> : null}
      {ft.resumableStep !== null ? (
        <button type="button" className="primary" data-testid="finetune-resume" title="A new job continues this one from its newest checkpoint" onClick={() => void resume()}>
          Resume from step {ft.resumableStep}
        </button>
      ) : null}
      {ft.job.status === 'done' && ft.model ? (
        <button type="button" className="primary" data-testid="finetune-model" onClick={onOpenModel}>
          Open model {ft.model.name} in Models →
        </button>
      ) : null}
    </div>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
